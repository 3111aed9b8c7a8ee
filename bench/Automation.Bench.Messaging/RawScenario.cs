using Automation.Bench.Messaging.Messages;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Bench.Messaging;

/// <summary>The baseline: MassTransit publishing straight to RabbitMQ (publisher confirms on, no outbox), then a trivial
/// consumer draining what was published.</summary>
public static class RawScenario
{
    private const string Queue = "bench-raw-ping";

    public static async Task RunAsync(BenchServers servers, BenchOptions options, MeasurementLog log)
    {
        var counters = new BenchCounters();
        var switches = new EndpointSwitches();
        var host = await BenchHost.StartAsync(servers, counters,
            bus => bus.AddConsumer<RawPingConsumer>(),
            (context, rabbit) => rabbit.ReceiveEndpoint(Queue, endpoint =>
            {
                endpoint.ConnectReceiveEndpointObserver(switches);
                endpoint.PrefetchCount = options.Prefetch;
                endpoint.ConcurrentMessageLimit = options.Prefetch;
                endpoint.ConfigureConsumer<RawPingConsumer>(context);
            }));
        try
        {
            // The queue and its binding exist; the consumer waits until everything is published.
            await switches.StopAsync(Queue);
            var bus = host.Services.GetRequiredService<IBus>();
            Task Publish(int index) => bus.Publish(new RawPing(NewId.NextGuid(), index, Payload.Body));

            await Load.RunAsync(0, options.Warmup, options.Concurrency, Publish);
            var start = await log.SampleAsync();
            var (publishStart, publishEnd) = await Load.RunAsync(options.Warmup, options.Messages, options.Concurrency, Publish);
            var end = await log.SampleAsync();
            log.Add("raw-publish", "raw publish (confirms, no outbox)", options.Messages, Load.Seconds(publishStart, publishEnd), start, end,
                $"{options.Concurrency} in flight");

            var warmedUp = counters.RawConsumed.WhenReached(options.Warmup);
            var done = counters.RawConsumed.WhenReached(options.Warmup + options.Messages);
            await switches.StartAsync(Queue);
            var consumeStart = await warmedUp;
            start = await log.SampleAsync();
            var consumeEnd = await done.WaitAsync(Payload.Patience);
            end = await log.SampleAsync();
            log.Add("raw-consume", "raw consume (trivial consumer)", options.Messages, Load.Seconds(consumeStart, consumeEnd), start, end,
                $"prefetch {options.Prefetch}");
        }
        finally
        {
            await host.StopAsync();
        }
    }
}

/// <summary>What every bench message carries, and how long a scenario may wait for the last of them.</summary>
public static class Payload
{
    /// <summary>About the size of a small webhook event's data.</summary>
    public static readonly string Body = new('x', 300);

    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);
}
