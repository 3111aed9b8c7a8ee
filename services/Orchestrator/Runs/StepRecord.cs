namespace Automation.Orchestrator.Runs;

/// <summary>One step of a run: what it does and what became of it, and of its compensation.</summary>
public sealed class StepRecord
{
    public PlannedStep Plan { get; set; } = null!;

    /// <summary>One of <see cref="StepStatus"/>.</summary>
    public string Status { get; set; } = StepStatus.Pending;

    /// <summary>Deliveries of the command it took, as the connector counted them (known on success).</summary>
    public int? Attempts { get; set; }

    /// <summary>What the external system calls the effect (note id, pipeline run id, message id).</summary>
    public string? ExternalReference { get; set; }

    /// <summary>Why it failed (the fault's exceptions) or that it timed out.</summary>
    public string? Error { get; set; }

    public DateTime? StartedAt { get; set; }

    public DateTime? FinishedAt { get; set; }

    /// <summary>The outcome arrived after the run had moved on (a late reply to a timed-out or faulted step).</summary>
    public bool Late { get; set; }

    /// <summary>Null while nothing needs undoing; else one of <see cref="CompensationStatus"/>.</summary>
    public string? Compensation { get; set; }

    /// <summary>What the connector did to undo it (e.g. "note 123 deleted", "nothing to undo").</summary>
    public string? CompensationOutcome { get; set; }

    public string? CompensationError { get; set; }

    public DateTime? CompensatedAt { get; set; }

    /// <summary>Compensation commands sent for it: more than one when a late success named the effect to undo.</summary>
    public int CompensationsSent { get; set; }

    /// <summary>A late success arrived while a compensation (without its reference) was in flight: compensate again once
    /// that one answers, now naming the effect.</summary>
    public bool CompensateAgain { get; set; }
}

public static class StepStatus
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";

    /// <summary>Timed out: it may or may not have had its effect.</summary>
    public const string Unknown = "unknown";
}

public static class CompensationStatus
{
    /// <summary>A contact upsert or a sent notification: recorded and skipped.</summary>
    public const string NotCompensable = "not_compensable";
    public const string Compensating = "compensating";
    public const string Compensated = "compensated";

    /// <summary>The compensation faulted or went unanswered: an operator must act.</summary>
    public const string Failed = "failed";
}
