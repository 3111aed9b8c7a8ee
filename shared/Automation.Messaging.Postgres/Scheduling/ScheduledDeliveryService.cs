using System.Data;
using System.Diagnostics;
using MassTransit;
using MassTransit.Logging;
using MassTransit.Middleware;
using MassTransit.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Automation.Messaging.Postgres;

/// <summary>Sends stored messages when due. Each pass locks a batch of due rows (<c>FOR UPDATE SKIP LOCKED</c>, so
/// several instances share the work without sending a message twice), sends them (each send bounded by
/// <see cref="PostgresMessageSchedulerOptions.SendTimeout"/>), marks the sent ones delivered and commits, which releases the
/// rest; after a pass that could not send everything it backs off for the retry delay, otherwise it sleeps until the next
/// due time of a row no other pass holds, a new schedule from this process, or the fallback poll. Delivery is at least
/// once: a send that succeeded before a failed commit is sent again, with the same MessageId for the consumer's inbox.</summary>
internal sealed class ScheduledDeliveryService<TDbContext> : BackgroundService
    where TDbContext : DbContext
{
    private readonly IServiceScopeFactory _scopes;
    private readonly IBusControl _bus;
    private readonly ScheduledDeliverySignal _signal;
    private readonly TimeProvider _time;
    private readonly PostgresMessageSchedulerOptions _options;
    private readonly ILogger<ScheduledDeliveryService<TDbContext>> _logger;
    private DateTime _nextCleanup = DateTime.MinValue;

    public ScheduledDeliveryService(IServiceScopeFactory scopes, IBusControl bus, ScheduledDeliverySignal signal,
        TimeProvider time, IOptions<PostgresMessageSchedulerOptions> options, ILogger<ScheduledDeliveryService<TDbContext>> logger)
    {
        _scopes = scopes;
        _bus = bus;
        _signal = signal;
        _time = time;
        _options = options.Value;
        _logger = logger;
    }

    private DateTime UtcNow => _time.GetUtcNow().UtcDateTime;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await WaitForBusStart(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                _signal.Reset();
                var pass = await DeliverDue(stoppingToken);
                if (pass.Failed > 0)
                {
                    await Task.Delay(_options.RetryDelay, _time, stoppingToken);
                    continue;
                }

                if (pass.Delivered == _options.BatchSize)
                {
                    continue;
                }

                await CleanUp(stoppingToken);
                var nextDue = await NextDue(stoppingToken);
                var fallback = UtcNow + _options.PollInterval;
                await _signal.WaitUntil(nextDue < fallback ? nextDue.Value : fallback, _time, stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested && exception is not OperationCanceledException)
            {
                // The database is unreachable (or a statement failed): nothing was marked delivered; try again later.
                _logger.LogError(exception, "Scheduled message delivery failed; retrying in {RetryDelay}", _options.RetryDelay);
                await Task.Delay(_options.RetryDelay, _time, stoppingToken);
            }
        }
    }

    private async Task<(int Delivered, int Failed)> DeliverDue(CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var dbContext = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var store = new ScheduledDeliveryStore(dbContext);
        return await dbContext.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            // Declared before the transaction, so that an idle pass's commit is quiet too.
            using var quiet = BackgroundPassTelemetry.Quiet();
            await using var transaction = await dbContext.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, token);
            await QueueTablePlans.UseFreshPlansAsync(dbContext, token);
            var now = UtcNow;
            var due = await store.LockDue(now, _options.BatchSize, token);
            if (due.Count == 0)
            {
                await transaction.CommitAsync(token);
                return (0, 0);
            }

            quiet.Dispose();
            using var activity = BackgroundPassTelemetry.StartWork("scheduler deliver");
            activity?.SetTag("automation.scheduler.due", due.Count);
            var sends = await Task.WhenAll(due.Select(message => Send(new ScheduledDeliveryContext(message), token)));
            activity.LinkTo(sends.Select(send => send.Moved));
            var delivered = due.Where((_, index) => sends[index].Sent).Select(message => message.TokenId).ToList();
            if (delivered.Count > 0)
            {
                await store.MarkDelivered(delivered, now, token);
            }

            await transaction.CommitAsync(token);
            return (delivered.Count, due.Count - delivered.Count);
        }, cancellationToken);
    }

    /// <summary>Sends one due message; says whether the broker took it, and which span carried it in its own trace.</summary>
    private async Task<(bool Sent, ActivityContext Moved)> Send(ScheduledDeliveryContext message, CancellationToken cancellationToken)
    {
        var activity = LogContext.Current?.StartOutboxDeliverActivity(message);
        // A send waits for the broker while the pass holds the rows: bounded, so a broker outage never holds them for long.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.SendTimeout);
        try
        {
            var endpoint = await _bus.GetSendEndpoint(message.DestinationAddress);
            await endpoint.Send(new SerializedMessageBody(), new OutboxMessageSendPipe(message, message.DestinationAddress), timeout.Token);
            return (true, activity?.Activity.Context ?? default);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // It stays pending: the pass releases it, and the next pass sends it again after the retry delay.
            _logger.LogWarning(exception, "Could not send scheduled message {TokenId} to {Destination}", message.TokenId,
                message.DestinationAddress);
            return (false, default);
        }
        finally
        {
            activity?.Stop();
        }
    }

    private async Task<DateTime?> NextDue(CancellationToken cancellationToken)
    {
        using var quiet = BackgroundPassTelemetry.Quiet();
        await using var scope = _scopes.CreateAsyncScope();
        return await new ScheduledDeliveryStore(scope.ServiceProvider.GetRequiredService<TDbContext>()).NextDue(cancellationToken);
    }

    private async Task CleanUp(CancellationToken cancellationToken)
    {
        var now = UtcNow;
        if (now < _nextCleanup)
        {
            return;
        }

        // Housekeeping of rows already delivered: counted in no trace.
        using var quiet = BackgroundPassTelemetry.Quiet();
        await using var scope = _scopes.CreateAsyncScope();
        var store = new ScheduledDeliveryStore(scope.ServiceProvider.GetRequiredService<TDbContext>());
        int deleted;
        do
        {
            deleted = await store.DeleteFinished(now - _options.FinishedRetention, _options.CleanupBatchSize, cancellationToken);
        }
        while (deleted == _options.CleanupBatchSize);

        _nextCleanup = now + _options.CleanupInterval;
    }

    private async Task WaitForBusStart(CancellationToken cancellationToken)
    {
        // Sends before the bus has started would only fail and be retried: wait for it instead.
        while (_bus.CheckHealth().Status == BusHealthStatus.Unhealthy)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), _time, cancellationToken);
        }
    }
}
