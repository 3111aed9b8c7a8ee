using MassTransit;

namespace Automation.Messaging.Postgres.Tests.Infrastructure;

/// <summary>Counts how often a receive endpoint stopped (the kill switch pausing it).</summary>
public sealed class EndpointStops : IReceiveEndpointObserver
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public Task Ready(ReceiveEndpointReady ready) => Task.CompletedTask;

    public Task Stopping(ReceiveEndpointStopping stopping)
    {
        Interlocked.Increment(ref _count);
        return Task.CompletedTask;
    }

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    public Task Faulted(ReceiveEndpointFaulted faulted) => Task.CompletedTask;
}
