using Automation.Ingress.Telemetry;
using Microsoft.Extensions.Options;
using OpenTelemetry;

namespace Automation.Ingress.Storage;

/// <summary>Every <see cref="RetentionOptions.Interval"/>: deletes the events older than
/// <see cref="RetentionOptions.KeepEventsFor"/>, then clears the bodies older than <see cref="RetentionOptions.KeepBodiesFor"/>,
/// each in statements of at most <see cref="RetentionOptions.BatchSize"/> rows until none is left. A failed pass is
/// logged and tried again at the next interval; several instances may run it at once.</summary>
public sealed partial class EventRetentionService(
    EventsTable table,
    IOptions<RetentionOptions> options,
    IngressTelemetry telemetry,
    TimeProvider clock,
    ILogger<EventRetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retention = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunPassAsync(retention, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogPassFailed(exception, retention.Interval);
            }

            try
            {
                await Task.Delay(retention.Interval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task RunPassAsync(RetentionOptions retention, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        int deleted, purged;
        // A pass is a few statements every interval, mostly finding nothing: not worth a trace each; the counts are measured.
        using (SuppressInstrumentationScope.Begin())
        {
            deleted = await RepeatAsync(limit => table.DeleteAsync(now - retention.KeepEventsFor, limit, cancellationToken), retention.BatchSize);
            purged = await RepeatAsync(limit => table.PurgeBodiesAsync(now - retention.KeepBodiesFor, limit, cancellationToken), retention.BatchSize);
        }

        if (deleted + purged > 0)
        {
            telemetry.Retained(purged, deleted);
            LogPass(purged, deleted);
        }
    }

    /// <summary>Runs a bounded statement until it finds less than a full batch; returns the rows it touched.</summary>
    private static async Task<int> RepeatAsync(Func<int, Task<int>> statement, int batchSize)
    {
        var total = 0;
        int count;
        do
        {
            count = await statement(batchSize);
            total += count;
        }
        while (count == batchSize);

        return total;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: cleared {Purged} stored bodies, deleted {Deleted} expired events")]
    private partial void LogPass(int purged, int deleted);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention pass failed; trying again in {Interval}")]
    private partial void LogPassFailed(Exception exception, TimeSpan interval);
}
