using System.Collections.Concurrent;
using MassTransit;

namespace Automation.Messaging.Postgres.Tests.Hosting;

/// <summary>The messages that finally faulted (retries exhausted, moved to the error queue) in a test service.</summary>
public sealed class Faults
{
    private readonly ConcurrentQueue<Fault> _faults = new();

    public IReadOnlyCollection<Fault> All => _faults;

    public void Add(Fault fault) => _faults.Enqueue(fault);
}

/// <summary>Records every <see cref="Fault{T}"/> of <typeparamref name="T"/> into <see cref="Faults"/>.</summary>
public sealed class FaultRecorder<T>(Faults faults) : IConsumer<Fault<T>>
    where T : class
{
    public Task Consume(ConsumeContext<Fault<T>> context)
    {
        faults.Add(context.Message);
        return Task.CompletedTask;
    }
}
