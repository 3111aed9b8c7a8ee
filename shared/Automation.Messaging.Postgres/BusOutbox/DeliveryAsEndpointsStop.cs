using System.Collections.Concurrent;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Automation.Messaging.Postgres;

/// <summary>Sends what consumers committed while their endpoint drained on shutdown. The delivery loop stops with the host,
/// before the bus has let the messages in hand finish; their outgoing messages would wait for the next instance. Each
/// receive endpoint reports it completed after its consumers finished and before the bus closes its connection: a pass
/// then (or several, while full batches keep coming) sends them, bounded by
/// <see cref="PostgresBusOutboxConfigurator.FinalDeliveryTimeout"/> so that an unreachable broker or database cannot hold the
/// shutdown; what it leaves is sent by the next pass of any instance. Only after a stop: an endpoint also completes when
/// its connection is lost, and a pass then would only delay its reconnection.</summary>
internal sealed partial class DeliveryAsEndpointsStop<TDbContext>(BusOutboxDeliveryPass<TDbContext> pass, ILogger logger)
    : IReceiveEndpointObserver
    where TDbContext : DbContext
{
    private readonly ConcurrentDictionary<Uri, bool> _stopping = new();

    public Task Stopping(ReceiveEndpointStopping stopping)
    {
        _stopping[stopping.InputAddress] = true;
        return Task.CompletedTask;
    }

    public async Task Completed(ReceiveEndpointCompleted completed)
    {
        if (!_stopping.TryRemove(completed.InputAddress, out _))
        {
            return;
        }

        using var timeout = new CancellationTokenSource(PostgresBusOutboxConfigurator.FinalDeliveryTimeout);
        try
        {
            DeliveryPassResult result;
            do
            {
                result = await pass.RunAsync(timeout.Token);
            }
            while (result is { MoreWaiting: true, Failed: false });
        }
        catch (Exception exception)
        {
            LogFinalPassFailed(exception, completed.InputAddress);
        }
    }

    public Task Ready(ReceiveEndpointReady ready) => Task.CompletedTask;

    public Task Faulted(ReceiveEndpointFaulted faulted) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Could not send the bus outbox after {InputAddress} stopped; the next delivery pass of any instance sends it")]
    private partial void LogFinalPassFailed(Exception exception, Uri inputAddress);
}
