using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.EndToEnd.Tests.Infrastructure;

/// <summary>The services a test class runs in its own process, stopped together (last started, first stopped).</summary>
public sealed class InProcessServices : IAsyncDisposable
{
    private readonly Stack<IAsyncDisposable> _started = new();

    /// <summary>Starts the service whose assembly holds <typeparamref name="TAnyServiceType"/> and waits until its bus is
    /// connected with every queue bound, as after a deployment.</summary>
    public async Task<ServiceFactory<TAnyServiceType>> StartAsync<TAnyServiceType>(Dictionary<string, string> settings)
        where TAnyServiceType : class
    {
        var service = new ServiceFactory<TAnyServiceType>(settings);
        _started.Push(service);
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        await service.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, timeout.Token);
        return service;
    }

    public async ValueTask DisposeAsync()
    {
        while (_started.TryPop(out var service))
        {
            await service.DisposeAsync();
        }
    }
}
