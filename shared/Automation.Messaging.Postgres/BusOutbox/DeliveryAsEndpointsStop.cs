using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Automation.Messaging.Postgres;

/// <summary>Sends what consumers committed while their endpoint drained on shutdown. The delivery loop stops with the host,
/// before the bus has let the messages in hand finish; their outgoing messages would wait for the next instance. Each
/// receive endpoint reports it completed after its consumers finished and before the bus closes its connection: a pass
/// then (or several, while full batches keep coming) sends them, bounded by <see cref="Timeout"/> so that an unreachable
/// broker or database cannot hold the shutdown; what it leaves is sent by the next pass of any instance.</summary>
internal sealed partial class DeliveryAsEndpointsStop<TDbContext>(BusOutboxDeliveryPass<TDbContext> pass, ILogger logger)
    : IReceiveEndpointObserver
    where TDbContext : DbContext
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task Completed(ReceiveEndpointCompleted completed)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            while ((await pass.RunAsync(timeout.Token)).MoreWaiting)
            {
            }
        }
        catch (Exception exception)
        {
            LogFinalPassFailed(exception, completed.InputAddress);
        }
    }

    public Task Ready(ReceiveEndpointReady ready) => Task.CompletedTask;

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    public Task Faulted(ReceiveEndpointFaulted faulted) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Could not send the bus outbox after {InputAddress} stopped; the next delivery pass of any instance sends it")]
    private partial void LogFinalPassFailed(Exception exception, Uri inputAddress);
}
