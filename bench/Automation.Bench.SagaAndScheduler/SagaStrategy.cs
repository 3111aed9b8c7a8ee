using Automation.Messaging.Postgres;
using MassTransit;

namespace Automation.Bench.SagaAndScheduler;

/// <summary>One way to run the saga endpoint under contention: a repository mode plus what the endpoint adds.</summary>
public sealed record SagaStrategy(string Name, SagaConcurrencyMode Mode, int ImmediateRetries, bool Partitioned)
{
    public static readonly SagaStrategy[] All =
    [
        new("pessimistic (advisory lock + FOR UPDATE), no retry", SagaConcurrencyMode.Pessimistic, 0, false),
        new("pessimistic, partitioner, no retry", SagaConcurrencyMode.Pessimistic, 0, true),
        new("optimistic (xmin), 20 immediate retries", SagaConcurrencyMode.Optimistic, 20, false),
        new("optimistic (xmin), partitioner + 20 immediate retries", SagaConcurrencyMode.Optimistic, 20, true),
    ];

    public void ConfigureEndpoint(IReceiveEndpointConfigurator endpoint, int concurrency, RetryCounter retries)
    {
        if (ImmediateRetries > 0)
        {
            endpoint.UseMessageRetry(retry =>
            {
                retry.Handle<ConcurrencyException>();
                retry.Immediate(ImmediateRetries);
                retry.ConnectRetryObserver(retries);
            });
        }

        if (Partitioned)
        {
            endpoint.UsePartitioner<IncrementCounter>(endpoint.CreatePartitioner(concurrency), context => context.Message.CounterId);
        }
    }
}

/// <summary>Counts the attempts that failed and were retried, and the messages whose retries ran out.</summary>
public sealed class RetryCounter : IRetryObserver
{
    private int _retried;
    private int _exhausted;

    public int Retried => _retried;

    public int Exhausted => _exhausted;

    public Task PostCreate<T>(RetryPolicyContext<T> context) where T : class, PipeContext => Task.CompletedTask;

    public Task PostFault<T>(RetryContext<T> context) where T : class, PipeContext
    {
        Interlocked.Increment(ref _retried);
        return Task.CompletedTask;
    }

    public Task PreRetry<T>(RetryContext<T> context) where T : class, PipeContext => Task.CompletedTask;

    public Task RetryFault<T>(RetryContext<T> context) where T : class, PipeContext
    {
        Interlocked.Increment(ref _exhausted);
        return Task.CompletedTask;
    }

    public Task RetryComplete<T>(RetryContext<T> context) where T : class, PipeContext => Task.CompletedTask;
}
