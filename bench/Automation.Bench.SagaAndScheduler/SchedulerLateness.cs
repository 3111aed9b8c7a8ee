using System.Collections.Concurrent;
using System.Diagnostics;
using Automation.Messaging.Postgres;
using Automation.Testing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Automation.Bench.SagaAndScheduler;

public sealed record Ping(Guid PingId, DateTime DueAt);

public sealed class PingArrivals
{
    public ConcurrentDictionary<Guid, (DateTime DueAt, DateTime ArrivedAt)> All { get; } = new();
}

public sealed class PingConsumer(PingArrivals arrivals) : IConsumer<Ping>
{
    public Task Consume(ConsumeContext<Ping> context)
    {
        arrivals.All.TryAdd(context.Message.PingId, (context.Message.DueAt, DateTime.UtcNow));
        return Task.CompletedTask;
    }
}

/// <summary>How late the durable scheduler sends: <see cref="Messages"/> messages due at times spread over
/// <see cref="Spread"/>, scheduled through <c>IMessageScheduler</c> by <see cref="Replicas"/> replicas.</summary>
public sealed record SchedulerLateness(int Messages, int Replicas, TimeSpan Spread)
{
    private const string SchedulerQueue = "bench-scheduler";

    public async Task<string> Run()
    {
        var database = new PostgresDatabase();
        var virtualHost = new RabbitMqVirtualHost();
        await database.InitializeAsync();
        await virtualHost.InitializeAsync();
        var arrivals = new PingArrivals();
        var hosts = new List<IHost>();
        try
        {
            for (var replica = 0; replica < Replicas; replica++)
            {
                hosts.Add(await BenchHost.StartAsync(database, virtualHost,
                    bus =>
                    {
                        bus.AddPostgresMessageScheduler<BenchDbContext>(SchedulerQueue);
                        bus.AddConsumer<PingConsumer>().Endpoint(endpoint => endpoint.Name = "ping");
                    },
                    services => services.AddSingleton(arrivals)));
            }

            var start = DateTime.UtcNow.AddSeconds(3);
            var stopwatch = Stopwatch.StartNew();
            await using (var scope = hosts[0].Services.CreateAsyncScope())
            {
                var scheduler = scope.ServiceProvider.GetRequiredService<IMessageScheduler>();
                var destination = new Uri("queue:ping");
                foreach (var chunk in Enumerable.Range(0, Messages).Chunk(500))
                {
                    await Task.WhenAll(chunk.Select(index =>
                    {
                        var dueAt = start + Spread * index / Messages;
                        return scheduler.ScheduleSend(destination, dueAt, new Ping(Guid.NewGuid(), dueAt));
                    }));
                }
            }

            var scheduled = stopwatch.Elapsed;
            var deadline = DateTime.UtcNow + Spread + TimeSpan.FromMinutes(2);
            while (arrivals.All.Count < Messages && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            var lateness = arrivals.All.Values.Select(arrival => (arrival.ArrivedAt - arrival.DueAt).TotalMilliseconds).Order().ToList();
            var early = lateness.Count(milliseconds => milliseconds < 0);
            return $"| {Messages} over {Spread.TotalSeconds:N0} s, {Replicas} replica(s) | {arrivals.All.Count} | {early} | "
                + $"{Percentile(lateness, 0.50):N0} | {Percentile(lateness, 0.95):N0} | {Percentile(lateness, 0.99):N0} | "
                + $"{lateness.LastOrDefault():N0} | {Messages / scheduled.TotalSeconds:N0} |";
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.StopAsync();
                host.Dispose();
            }

            await virtualHost.DisposeAsync();
            await database.DisposeAsync();
        }
    }

    private static double Percentile(List<double> sorted, double rank) =>
        sorted.Count == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(rank * sorted.Count))];
}
