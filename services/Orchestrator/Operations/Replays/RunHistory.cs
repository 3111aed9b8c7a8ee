using Automation.Orchestrator.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Automation.Orchestrator.Operations.Replays;

/// <summary>Where the runs of one (event, rule) stand: the latest run whose row exists, and the latest run a replay
/// started (its row may not exist yet: its <c>StartRun</c> is on its way).</summary>
public sealed record RunHistory(Guid EventRecordId, string Rule, int LatestRun, string? LatestState, int LatestReplayed)
{
    /// <summary>The number the next run of this (event, rule) takes.</summary>
    public int NextRun => Math.Max(LatestRun, LatestReplayed) + 1;

    /// <summary>Why a replay must wait, or null when the latest run is finished.</summary>
    public string? InProgressReason =>
        LatestReplayed > LatestRun ? $"run {LatestReplayed} was started by a replay and has not begun yet"
        : LatestState is { } state && RunStates.IsInProgress(state) ? $"run {LatestRun} is {RunStates.ToApi(state)}"
        : null;

    /// <summary>The histories of every (event, rule) of these events that has a run, by (event, rule).</summary>
    public static async Task<Dictionary<(Guid EventRecordId, string Rule), RunHistory>> LoadAsync(OrchestratorDbContext db,
        IReadOnlyCollection<Guid> eventRecordIds, CancellationToken cancellationToken)
    {
        var rows = await db.Runs.AsNoTracking().Where(run => eventRecordIds.Contains(run.EventRecordId))
            .Select(run => new { run.EventRecordId, run.Rule, run.Run, run.CurrentState }).ToListAsync(cancellationToken);
        var replayed = await db.ReplayedRuns.AsNoTracking().Where(run => eventRecordIds.Contains(run.EventRecordId))
            .GroupBy(run => new { run.EventRecordId, run.Rule })
            .Select(runs => new { runs.Key.EventRecordId, runs.Key.Rule, Run = runs.Max(run => run.Run) }).ToListAsync(cancellationToken);
        var histories = rows.GroupBy(run => (run.EventRecordId, run.Rule))
            .Select(runs => runs.MaxBy(run => run.Run)!)
            .ToDictionary(latest => (latest.EventRecordId, latest.Rule), latest => new RunHistory(latest.EventRecordId, latest.Rule, latest.Run,
                latest.CurrentState, 0));
        foreach (var run in replayed)
        {
            var key = (run.EventRecordId, run.Rule);
            histories[key] = histories.TryGetValue(key, out var history)
                ? history with { LatestReplayed = run.Run }
                : new RunHistory(run.EventRecordId, run.Rule, 0, null, run.Run);
        }

        return histories;
    }
}
