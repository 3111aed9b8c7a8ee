namespace Automation.Orchestrator.Operations.Replays;

/// <summary>What a replay did: the runs it started and the (event, rule) pairs it left alone, with why. Its audit record is
/// <c>/operations/audit/{Id}</c>.</summary>
/// <param name="NextCursor">For a replay by filter that stopped at its limit: the cursor of the events after the last one
/// considered (as in a search).</param>
public sealed record ReplayView(Guid Id, string Operator, DateTimeOffset At, IReadOnlyList<StartedRun> Started, IReadOnlyList<SkippedRun> Skipped,
    string? NextCursor);

/// <param name="RunId">The new run's id: <c>GET /operations/events/{EventRecordId}</c> shows it once it has begun.</param>
public sealed record StartedRun(Guid EventRecordId, string Source, string EventId, string Rule, int Run, Guid RunId);

public sealed record SkippedRun(Guid EventRecordId, string Source, string EventId, string Rule, string Reason);

/// <summary>A replay's audit result (the action's <c>result</c>).</summary>
public sealed record ReplayResult(IReadOnlyList<StartedRun> Started, IReadOnlyList<SkippedRun> Skipped, string? NextCursor);

/// <summary>What a replay came to: started (a <see cref="ReplayView"/>), or refused with an HTTP status and why.</summary>
public sealed record ReplayOutcome(ReplayView? Started, int Status = StatusCodes.Status202Accepted, string? Parameter = null, string? Detail = null)
{
    public static ReplayOutcome Refused(int status, string detail, string? parameter = null) => new(null, status, parameter, detail);
}
