namespace Automation.Connectors;

/// <summary>What a connector's call for one idempotency key came to, stored in the same transaction as the inbox row of
/// the message that made it: a repeated command (a redelivery, a late duplicate, a resent message) finds it and answers
/// with it instead of calling the external system again.</summary>
public sealed class StepOutcome
{
    /// <summary>The step's idempotency key, or its compensation key.</summary>
    public required string Key { get; init; }

    /// <summary>What the external system calls the effect (a note id, a pipeline run), if anything.</summary>
    public string? ExternalReference { get; init; }

    /// <summary>For operators: what was done, e.g. "note deleted" or "nothing to undo".</summary>
    public string? Detail { get; init; }

    public DateTime CompletedAt { get; init; }
}
