using Automation.Messaging.Postgres;
using Automation.Orchestrator.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Automation.Orchestrator.Runs;

/// <summary>Counts the runs by state every <see cref="RunMetricsOptions.RefreshInterval"/> for <see cref="RunsByState"/>: one
/// grouped count over the index on (current_state, started_at). While the database is away it logs, the gauge keeps the last
/// counts, and it tries again at the next interval.</summary>
internal sealed partial class RunsByStateRefresher(
    IServiceScopeFactory scopes,
    RunsByState gauge,
    IOptions<RunMetricsOptions> options,
    TimeProvider time,
    ILogger<RunsByStateRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.RefreshInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                gauge.Update(await CountAsync(stoppingToken));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogCountFailed(exception, interval);
            }

            try
            {
                await Task.Delay(interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<Dictionary<string, long>> CountAsync(CancellationToken cancellationToken)
    {
        // A poll, like the messaging library's background passes: in no trace.
        using var quiet = BackgroundPassTelemetry.Quiet();
        await using var scope = scopes.CreateAsyncScope();
        var dbContext = scope.ServiceProvider.GetRequiredService<OrchestratorDbContext>();
        return await dbContext.Runs
            .GroupBy(run => run.CurrentState)
            .Select(runs => new { State = runs.Key, Count = runs.LongCount() })
            .ToDictionaryAsync(runs => runs.State, runs => runs.Count, StringComparer.Ordinal, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not count the runs by state; automation.runs.current keeps the last counts, trying again in {Interval}")]
    private partial void LogCountFailed(Exception exception, TimeSpan interval);
}
