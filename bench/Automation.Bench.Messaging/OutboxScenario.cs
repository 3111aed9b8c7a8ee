using Automation.Bench.Messaging.Messages;
using Automation.Messaging.Postgres;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Automation.Bench.Messaging;

/// <summary>The bus outbox as the Ingress uses it: concurrent requests, each a scope that adds its row, publishes through
/// the scoped <see cref="IPublishEndpoint"/> and saves; a counting consumer in another host sees what the delivery service
/// sent. Measured twice: live (delivery running while requests commit, as in production) and as a backlog drain
/// (requests committed with no delivery service, then one started), which isolates what delivery alone can do.</summary>
public static class OutboxScenario
{
    private const string Queue = "bench-outbox-delivered";

    public static async Task RunAsync(BenchServers servers, BenchOptions options, MeasurementLog log)
    {
        var counters = new BenchCounters();
        var receiver = await BenchHost.StartAsync(servers, counters,
            bus => bus.AddConsumer<RequestAcceptedConsumer>(),
            (context, rabbit) => rabbit.ReceiveEndpoint(Queue, endpoint =>
            {
                endpoint.PrefetchCount = options.Prefetch;
                endpoint.ConcurrentMessageLimit = options.Prefetch;
                endpoint.ConfigureConsumer<RequestAcceptedConsumer>(context);
            }));
        try
        {
            await MeasureLiveAsync(servers, options, log, counters);
            await MeasureDrainAsync(servers, options, log, counters);
            await log.CheckTableEmptyAsync("outbox_message", "every bus outbox message was delivered and deleted");
            log.Check(counters.OutboxDelivered.Count == options.Warmup + 2L * options.Messages,
                $"the receiver counted {counters.OutboxDelivered.Count:N0} bus outbox messages for {options.Warmup + 2L * options.Messages:N0} committed");
        }
        finally
        {
            await receiver.StopAsync();
        }
    }

    private static async Task MeasureLiveAsync(BenchServers servers, BenchOptions options, MeasurementLog log, BenchCounters counters)
    {
        var host = await BenchHost.StartAsync(servers, counters, bus => bus.AddPostgresOutbox<BenchDbContext>(outbox => outbox.UseBusOutbox()));
        try
        {
            var baseline = counters.OutboxDelivered.Count;
            Task Request(int index) => AcceptAsync(host.Services, index);
            await Load.RunAsync(0, options.Warmup, options.Concurrency, Request);
            await counters.OutboxDelivered.WhenReached(baseline + options.Warmup).WaitAsync(Payload.Patience);

            var delivered = counters.OutboxDelivered.WhenReached(baseline + options.Warmup + options.Messages);
            var start = await log.SampleAsync();
            var (commitStart, commitEnd) = await Load.RunAsync(options.Warmup, options.Messages, options.Concurrency, Request);
            var committed = await log.SampleAsync();
            var deliveredAt = await delivered.WaitAsync(Payload.Patience);
            var end = await log.SampleAsync();
            log.Add("outbox-committed", "bus outbox committed (delivery running)", options.Messages, Load.Seconds(commitStart, commitEnd),
                start, committed, $"{options.Concurrency} requests in flight");
            log.Add("outbox-delivered-live", "bus outbox delivered, end to end (live)", options.Messages, Load.Seconds(commitStart, deliveredAt),
                start, end, $"last delivery {Load.Seconds(commitEnd, deliveredAt):N2} s after the last commit");
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static async Task MeasureDrainAsync(BenchServers servers, BenchOptions options, MeasurementLog log, BenchCounters counters)
    {
        var first = options.Warmup + options.Messages;
        var writer = await BenchHost.StartAsync(servers, counters,
            bus => bus.AddPostgresOutbox<BenchDbContext>(outbox => outbox.UseBusOutbox(busOutbox => busOutbox.DisableDeliveryService())));
        try
        {
            var start = await log.SampleAsync();
            var (commitStart, commitEnd) = await Load.RunAsync(first, options.Messages, options.Concurrency, index => AcceptAsync(writer.Services, index));
            var end = await log.SampleAsync();
            log.Add("outbox-committed-alone", "bus outbox committed (no delivery running)", options.Messages, Load.Seconds(commitStart, commitEnd),
                start, end, $"{options.Concurrency} requests in flight");
        }
        finally
        {
            await writer.StopAsync();
        }

        // Timed from the first delivered message to the last, so the host's start-up is not counted.
        var baseline = counters.OutboxDelivered.Count;
        var firstDelivered = counters.OutboxDelivered.WhenReached(baseline + 1);
        var delivered = counters.OutboxDelivered.WhenReached(baseline + options.Messages);
        var before = await log.SampleAsync();
        var deliverer = await BenchHost.StartAsync(servers, counters, bus => bus.AddPostgresOutbox<BenchDbContext>(outbox => outbox.UseBusOutbox()));
        try
        {
            var deliveredAt = await delivered.WaitAsync(Payload.Patience);
            var after = await log.SampleAsync();
            log.Add("outbox-delivered-drain", "bus outbox delivered, backlog drain", options.Messages - 1, Load.Seconds(await firstDelivered, deliveredAt),
                before, after, $"{options.Messages:N0} committed messages waiting when the delivery service started");
        }
        finally
        {
            await deliverer.StopAsync();
        }
    }

    /// <summary>What a web request does: its row and its message, saved together.</summary>
    private static async Task AcceptAsync(IServiceProvider services, int index)
    {
        await using var scope = services.CreateAsyncScope();
        var dbContext = scope.ServiceProvider.GetRequiredService<BenchDbContext>();
        var publishEndpoint = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
        var id = NewId.NextGuid();
        dbContext.Requests.Add(new AcceptedRequest { Id = id, Received = DateTime.UtcNow, Body = Payload.Body });
        await publishEndpoint.Publish(new RequestAccepted(id, index, Payload.Body));
        await dbContext.SaveChangesAsync();
    }
}
