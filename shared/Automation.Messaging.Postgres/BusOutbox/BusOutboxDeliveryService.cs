using MassTransit;
using MassTransit.Middleware.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Automation.Messaging.Postgres;

/// <summary>Delivers committed bus outbox messages to the broker: at once when a commit signals it, every
/// <see cref="OutboxDeliveryServiceOptions.QueryDelay"/> otherwise (what a crashed process committed), and pass after pass
/// while full batches keep coming. Several instances can run side by side. Delivery is at least once: a send that succeeds
/// before a failed commit is repeated, and consumers deduplicate on MessageId.</summary>
internal sealed partial class BusOutboxDeliveryService<TDbContext>(
    IServiceProvider services,
    IBusControl bus,
    IBusOutboxNotification notification,
    IOutboxBacklogMonitor backlog,
    IOptions<OutboxDeliveryServiceOptions> options,
    BusOutboxDeliveryPasses delivery,
    TimeProvider time,
    ILogger<BusOutboxDeliveryService<TDbContext>> logger) : BackgroundService
    where TDbContext : DbContext
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestBackoff = TimeSpan.FromSeconds(10);
    private ConnectHandle? _finalDelivery;
    private long _lastPassStartedAt;

    public override void Dispose()
    {
        _finalDelivery?.Disconnect();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // MassTransit's deliver activities and instruments need a log context on this flow (the loops inherit it).
        LogContext.ConfigureCurrentLogContextIfNull(services);
        // Deliver only once the bus has started: starting deploys the publish topology (an event type's exchange bound to
        // its interfaces' exchanges), and a send before that would declare a bare exchange that routes the message nowhere.
        await bus.WaitForHealthStatus(BusHealthStatus.Healthy, stoppingToken);
        var pass = new BusOutboxDeliveryPass<TDbContext>(services.GetRequiredService<IServiceScopeFactory>(), bus, options.Value,
            delivery.ConfigureSend, time, logger);
        // Kept past this loop, which ends when the host stops, before the bus drains its endpoints.
        _finalDelivery = bus.ConnectReceiveEndpointObserver(new DeliveryAsEndpointsStop<TDbContext>(pass, logger));
        // Passes side by side (each on outboxes the others skipped): one pass's sends wait for the broker while another's
        // query or commit waits for the database.
        await Task.WhenAll(Enumerable.Range(0, delivery.Passes).Select(_ => Task.Run(() => DeliverAsync(pass, stoppingToken), stoppingToken)));
    }

    private async Task DeliverAsync(BusOutboxDeliveryPass<TDbContext> pass, CancellationToken stoppingToken)
    {
        var backoff = FirstBackoff;
        while (!stoppingToken.IsCancellationRequested)
        {
            DeliveryPassResult result;
            try
            {
                Volatile.Write(ref _lastPassStartedAt, time.GetTimestamp());
                result = await pass.RunAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogPassFailed(exception, backoff);
                result = new DeliveryPassResult(MoreWaiting: false, Failed: true);
            }

            try
            {
                if (result.Failed)
                {
                    // The broker or the database is away: wait, but not for a signal, which would only repeat the failure.
                    await Task.Delay(backoff, time, stoppingToken);
                    backoff = backoff * 2 < LongestBackoff ? backoff * 2 : LongestBackoff;
                    continue;
                }

                backoff = FirstBackoff;
                if (!result.MoreWaiting)
                {
                    await RefreshBacklogAsync(stoppingToken);
                    await notification.WaitForDelivery(stoppingToken);
                    await GatherAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Under load, lets the commits of the next few milliseconds join the next pass: a pass woken by a commit
    /// starts no sooner than <see cref="BusOutboxDeliveryPasses.GatherDelay"/> after the last pass (of any loop) started,
    /// so it carries every message committed since then and its round trips are shared, instead of one pass per commit.
    /// Loops woken together may still start together. A commit after a quiet spell (no pass for that long) is delivered
    /// at once.</summary>
    private async Task GatherAsync(CancellationToken stoppingToken)
    {
        var wait = delivery.GatherDelay - time.GetElapsedTime(Volatile.Read(ref _lastPassStartedAt));
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, stoppingToken);
        }
    }

    private async Task RefreshBacklogAsync(CancellationToken stoppingToken)
    {
        try
        {
            await backlog.GetAsync(stoppingToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogBacklogFailed(exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bus outbox delivery pass failed; trying again in {Backoff}")]
    private partial void LogPassFailed(Exception exception, TimeSpan backoff);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not measure the bus outbox backlog")]
    private partial void LogBacklogFailed(Exception exception);
}

/// <summary>How many delivery passes the service runs side by side, how far apart passes woken by commits start under load,
/// and what each applies to its sends (<c>PostgresBusOutboxConfigurator.DeliveryPasses</c>, <c>DeliveryGatherDelay</c> and
/// <c>ConfigureSend</c>).</summary>
internal sealed record BusOutboxDeliveryPasses(int Passes, TimeSpan GatherDelay, Action<SendContext>? ConfigureSend = null);
