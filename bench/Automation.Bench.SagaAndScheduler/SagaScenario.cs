using System.Diagnostics;
using Automation.Messaging.Postgres;
using Automation.Testing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Automation.Bench.SagaAndScheduler;

/// <summary>A workload: <see cref="Messages"/> increments spread over <see cref="Instances"/> counters, consumed by
/// <see cref="Replicas"/> service processes (bus instances) with <see cref="Concurrency"/> messages in flight each.</summary>
public sealed record SagaScenario(string Name, int Instances, int Messages, int Replicas, int Concurrency)
{
    private const string SagaQueue = "counter-saga";

    public async Task<SagaResult> Run(SagaStrategy strategy)
    {
        var database = new PostgresDatabase();
        var virtualHost = new RabbitMqVirtualHost();
        await database.InitializeAsync();
        await virtualHost.InitializeAsync();
        var retries = new RetryCounter();
        var hosts = new List<IHost>();
        try
        {
            for (var replica = 0; replica < Replicas; replica++)
            {
                hosts.Add(await StartHost(database, virtualHost, strategy, retries));
            }

            var counterIds = Enumerable.Range(0, Instances).Select(_ => Guid.NewGuid()).ToList();
            var bus = hosts[0].Services.GetRequiredService<IBus>();
            var stopwatch = Stopwatch.StartNew();
            foreach (var chunk in Enumerable.Range(0, Messages).Chunk(500))
            {
                await Task.WhenAll(chunk.Select(index => bus.Publish(new IncrementCounter(counterIds[index % Instances]))));
            }

            var (applied, stalled) = await WaitUntilApplied(hosts[0], counterIds);
            stopwatch.Stop();
            return new SagaResult(Name, strategy.Name, Messages, applied, retries.Retried, retries.Exhausted,
                stalled ? null : stopwatch.Elapsed);
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

    /// <summary>Waits until every message is applied, or until nothing moved for 20 s (the rest are lost or parked).</summary>
    private async Task<(int Applied, bool Stalled)> WaitUntilApplied(IHost host, List<Guid> counterIds)
    {
        var applied = 0;
        var lastProgress = Stopwatch.StartNew();
        while (applied < Messages)
        {
            await Task.Delay(100);
            await using var scope = host.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BenchDbContext>();
            var now = await db.Counters.Where(counter => counterIds.Contains(counter.CorrelationId)).SumAsync(counter => counter.Count);
            if (now != applied)
            {
                applied = now;
                lastProgress.Restart();
            }
            else if (lastProgress.Elapsed > TimeSpan.FromSeconds(20))
            {
                return (applied, true);
            }
        }

        return (applied, false);
    }

    private Task<IHost> StartHost(PostgresDatabase database, RabbitMqVirtualHost virtualHost, SagaStrategy strategy, RetryCounter retries) =>
        BenchHost.StartAsync(database, virtualHost, bus =>
        {
            bus.AddSagaStateMachine<CounterStateMachine, CounterState>()
                .Endpoint(endpoint => endpoint.Name = SagaQueue)
                .PostgresRepository<BenchDbContext>(repository => repository.ConcurrencyMode = strategy.Mode);
            bus.AddConfigureEndpointsCallback((_, endpoint) =>
            {
                endpoint.ConcurrentMessageLimit = Concurrency;
                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                {
                    rabbit.PrefetchCount = Concurrency * 2;
                }

                strategy.ConfigureEndpoint(endpoint, Concurrency, retries);
            });
        });
}

public sealed record SagaResult(string Scenario, string Strategy, int Sent, int Applied, int Retried, int Exhausted, TimeSpan? Elapsed)
{
    public string ToRow() =>
        $"| {Scenario} | {Strategy} | {Sent} | {Applied} | {Sent - Applied} | {Retried} | {Exhausted} | "
        + (Elapsed is { } elapsed ? $"{Sent / elapsed.TotalSeconds:N0} msg/s |" : "stalled |");
}
