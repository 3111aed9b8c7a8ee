namespace Automation.Orchestrator.Operations.Audit;

/// <summary>What an operator did through the operator API (table <c>operator_actions</c>): who, when, what was asked and
/// what came of it (the runs a replay started, the messages a redrive moved). Never updated, never deleted by the service.</summary>
public sealed class OperatorAction
{
    public Guid Id { get; set; }

    /// <summary>The name the operator's key is configured under (<c>Operations:ApiKeys:{name}</c>).</summary>
    public string Operator { get; set; } = "";

    public DateTimeOffset At { get; set; }

    /// <summary>One of <see cref="OperatorActionKinds"/>.</summary>
    public string Kind { get; set; } = "";

    /// <summary>What was asked, as JSON (jsonb): the event and rule, or the filter; the queue and message.</summary>
    public string Request { get; set; } = "{}";

    /// <summary>What came of it, as JSON (jsonb): the runs started and the pairs skipped with why; the messages moved.</summary>
    public string Result { get; set; } = "{}";
}

public static class OperatorActionKinds
{
    public const string Replay = "replay";
    public const string Redrive = "redrive";
}
