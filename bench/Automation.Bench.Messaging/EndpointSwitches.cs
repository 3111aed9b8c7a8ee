using System.Collections.Concurrent;
using MassTransit;

namespace Automation.Bench.Messaging;

/// <summary>Stops and starts receive endpoints by queue name, so a scenario can fill a queue whose topology is already
/// declared and then time its consumer on a full queue.</summary>
public sealed class EndpointSwitches : IReceiveEndpointObserver
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<IReceiveEndpoint>> _endpoints = new(StringComparer.Ordinal);

    public async Task StopAsync(string queue) => await (await EndpointAsync(queue)).Stop();

    public async Task StartAsync(string queue) => await (await EndpointAsync(queue)).Start().Ready;

    public Task Ready(ReceiveEndpointReady ready)
    {
        Slot(ready.InputAddress).TrySetResult(ready.ReceiveEndpoint);
        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    public Task Faulted(ReceiveEndpointFaulted faulted) => Task.CompletedTask;

    private Task<IReceiveEndpoint> EndpointAsync(string queue) =>
        _endpoints.GetOrAdd(queue, _ => NewSlot()).Task.WaitAsync(TimeSpan.FromSeconds(30));

    private TaskCompletionSource<IReceiveEndpoint> Slot(Uri inputAddress) =>
        _endpoints.GetOrAdd(inputAddress.AbsolutePath.Split('/')[^1], _ => NewSlot());

    private static TaskCompletionSource<IReceiveEndpoint> NewSlot() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
