using Automation.Bench.Messaging.Messages;
using Automation.Messaging.Postgres;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Bench.Messaging;

/// <summary>Consumers behind <c>UsePostgresInboxOutbox</c>, configured as the services configure theirs (retry first, the
/// database-outage pause, the inbox), each timed on a queue filled beforehand: (a) a consumer that does nothing, so only
/// the inbox's deduplication is measured; (b) a consumer that writes a row (calling SaveChanges, as EF code usually does)
/// and publishes one message; (c) the same, leaving the save to the inbox's own write.</summary>
public static class InboxScenario
{
    private const string DeduplicatedQueue = "bench-inbox-deduplicated";
    private const string RecordedQueue = "bench-inbox-recorded";
    private const string InboxSavedQueue = "bench-inbox-saved";
    private const string WorkRecordedQueue = "bench-inbox-work-recorded";

    public static async Task RunAsync(BenchServers servers, BenchOptions options, MeasurementLog log)
    {
        var counters = new BenchCounters();
        var switches = new EndpointSwitches();
        var host = await BenchHost.StartAsync(servers, counters,
            bus =>
            {
                // As the services register it: the bus outbox too (inside a consumer the scoped endpoints are the consume context's).
                bus.AddPostgresOutbox<BenchDbContext>(outbox => outbox.UseBusOutbox());
                bus.AddConsumer<DeduplicatingConsumer>();
                bus.AddConsumer<RecordingConsumer>();
                bus.AddConsumer<InboxSavedConsumer>();
                bus.AddConsumer<WorkRecordedConsumer>();
            },
            (context, rabbit) =>
            {
                rabbit.ReceiveEndpoint(DeduplicatedQueue, endpoint =>
                {
                    ConfigureInbox(endpoint, context, options, switches);
                    endpoint.ConfigureConsumer<DeduplicatingConsumer>(context);
                });
                rabbit.ReceiveEndpoint(RecordedQueue, endpoint =>
                {
                    ConfigureInbox(endpoint, context, options, switches);
                    endpoint.ConfigureConsumer<RecordingConsumer>(context);
                });
                rabbit.ReceiveEndpoint(InboxSavedQueue, endpoint =>
                {
                    ConfigureInbox(endpoint, context, options, switches);
                    endpoint.ConfigureConsumer<InboxSavedConsumer>(context);
                });
                rabbit.ReceiveEndpoint(WorkRecordedQueue, endpoint =>
                {
                    endpoint.ConnectReceiveEndpointObserver(switches);
                endpoint.PrefetchCount = options.Prefetch;
                    endpoint.ConcurrentMessageLimit = options.Prefetch;
                    endpoint.ConfigureConsumer<WorkRecordedConsumer>(context);
                });
            });
        try
        {
            host.Services.GetRequiredService<IBus>().ConnectReceiveObserver(new CompletionObserver(new Dictionary<string, MessageCounter>
            {
                [DeduplicatedQueue] = counters.DeduplicatedCompleted,
                [RecordedQueue] = counters.RecordedCompleted,
                [InboxSavedQueue] = counters.InboxSavedCompleted,
            }));
            await switches.StopAsync(DeduplicatedQueue);
            await switches.StopAsync(RecordedQueue);
            await switches.StopAsync(InboxSavedQueue);
            await switches.StopAsync(WorkRecordedQueue);
            var bus = host.Services.GetRequiredService<IBus>();
            var total = options.Warmup + options.Messages;
            var deduplicated = await bus.GetSendEndpoint(new Uri($"queue:{DeduplicatedQueue}"));
            var recorded = await bus.GetSendEndpoint(new Uri($"queue:{RecordedQueue}"));
            var inboxSaved = await bus.GetSendEndpoint(new Uri($"queue:{InboxSavedQueue}"));
            await Load.RunAsync(0, total, options.Concurrency, index => deduplicated.Send(new DeduplicatedWork(NewId.NextGuid(), index, Payload.Body)));
            await Load.RunAsync(0, total, options.Concurrency, index => recorded.Send(new RecordedWork(NewId.NextGuid(), index, Payload.Body)));
            await Load.RunAsync(0, total, options.Concurrency, index => inboxSaved.Send(new InboxSavedWork(NewId.NextGuid(), index, Payload.Body)));

            await MeasureAsync(log, options, switches, DeduplicatedQueue, counters.DeduplicatedCompleted,
                "inbox-deduplicate", "inbox consumer (a) deduplicate only");
            await MeasureAsync(log, options, switches, RecordedQueue, counters.RecordedCompleted,
                "inbox-record-publish", "inbox consumer (b) row + publish");
            await MeasureAsync(log, options, switches, InboxSavedQueue, counters.InboxSavedCompleted,
                "inbox-record-publish-inbox-saves", "inbox consumer (c) = (b), inbox saves");

            // Untimed: every message the consumer published reached the broker, once.
            await switches.StartAsync(WorkRecordedQueue);
            await counters.WorkRecordedArrived.WhenReached(2L * total).WaitAsync(Payload.Patience);
            log.Check(counters.DeduplicatedCompleted.Faults + counters.RecordedCompleted.Faults + counters.InboxSavedCompleted.Faults == 0,
                "no inbox receive faulted");
            log.Check(await log.CountAsync("consumed_work") == 2L * total * log.Round, "consumers (b) and (c) wrote one row per message");
            await log.CheckTableEmptyAsync("outbox_message", "every outgoing message of consumers (b) and (c) was delivered and deleted");
            log.Check(await log.CountAsync("inbox_state", "delivered IS NULL") == 0, "every inbox row is marked delivered");
            log.Check(counters.WorkRecordedArrived.Count == 2L * total,
                $"{counters.WorkRecordedArrived.Count:N0} messages published by consumers (b) and (c) arrived for {2L * total:N0} consumed");
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static void ConfigureInbox(IRabbitMqReceiveEndpointConfigurator endpoint, IRegistrationContext context, BenchOptions options,
        EndpointSwitches switches)
    {
        endpoint.ConnectReceiveEndpointObserver(switches);
                endpoint.PrefetchCount = options.Prefetch;
        endpoint.ConcurrentMessageLimit = options.Prefetch;
        endpoint.UseMessageRetry(retry => retry.Intervals(100, 500, 1000));
        endpoint.PauseWhileDatabaseUnavailable();
        endpoint.UsePostgresInboxOutbox<BenchDbContext>(context);
    }

    private static async Task MeasureAsync(MeasurementLog log, BenchOptions options, EndpointSwitches switches, string queue,
        MessageCounter completed, string key, string figure)
    {
        var warmedUp = completed.WhenReached(options.Warmup);
        var done = completed.WhenReached(options.Warmup + options.Messages);
        await switches.StartAsync(queue);
        var measureStart = await warmedUp.WaitAsync(Payload.Patience);
        var start = await log.SampleAsync();
        var measureEnd = await done.WaitAsync(Payload.Patience);
        var end = await log.SampleAsync();
        log.Add(key, figure, options.Messages, Load.Seconds(measureStart, measureEnd), start, end, $"prefetch and concurrency {options.Prefetch}");
    }
}
