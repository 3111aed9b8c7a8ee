namespace Automation.Orchestrator.Operations.Replays;

/// <summary>A run an operator's replay started (table <c>replayed_runs</c>). Written in the replay's transaction, with the
/// <c>StartRun</c> in its outbox, before the run's own row exists: the next replay counts it when it numbers the run and
/// treats it as in progress until the run's row says otherwise. Unique per (event, rule, run).</summary>
public sealed class ReplayedRun
{
    /// <summary>The run's id (<see cref="Runs.RunIds.For"/>).</summary>
    public Guid RunId { get; set; }

    /// <summary>The replay (<see cref="Audit.OperatorAction"/>) that started it.</summary>
    public Guid ActionId { get; set; }

    public Guid EventRecordId { get; set; }

    public string Rule { get; set; } = "";

    public int Run { get; set; }
}
