using Automation.Messaging.Postgres;
using MassTransit;

namespace Automation.Orchestrator.Runs;

/// <summary>One run of a rule for an event (table <c>runs</c>): which event and rule, where the run is, and every step's
/// outcome. What happens to it is <see cref="RunStateMachine"/>'s; what a message changes is in RunState.Progress.cs.</summary>
public sealed partial class RunState : SagaStateMachineInstance, IRowVersioned
{
    /// <summary>The run's id, <see cref="RunIds.For"/> of (source, event id, rule, run).</summary>
    public Guid CorrelationId { get; set; }

    /// <summary>Running, Completed, Compensating, Compensated or Failed.</summary>
    public string CurrentState { get; set; } = "";

    /// <summary>The Ingress's id of the event (the stored copy's id).</summary>
    public Guid EventRecordId { get; set; }

    public string Source { get; set; } = "";

    /// <summary>The source's event id.</summary>
    public string EventId { get; set; } = "";

    public string EventType { get; set; } = "";

    public string Rule { get; set; } = "";

    /// <summary>1 for the first run of (event, rule); an operator's replay is run n + 1.</summary>
    public int Run { get; set; }

    /// <summary>The trace the run started in (the webhook's, through the Ingress's outbox).</summary>
    public string? TraceId { get; set; }

    public DateTime OccurredAt { get; set; }

    public DateTime StartedAt { get; set; }

    /// <summary>When it reached Completed, Compensated or Failed.</summary>
    public DateTime? FinishedAt { get; set; }

    /// <summary>The step sent last in rule order (0 before the first).</summary>
    public int CurrentStep { get; set; }

    /// <summary>The step whose compensation the reverse walk waits for; 0 when it waits for none.</summary>
    public int CompensatingStep { get; set; }

    /// <summary>The step that failed or timed out, which made the run compensate.</summary>
    public int? FailedStep { get; set; }

    /// <summary>Why the run compensates, for operators: which step, and its error or timeout.</summary>
    public string? Failure { get; set; }

    /// <summary>The pending step or compensation timeout (the durable scheduler's token).</summary>
    public Guid? StepTimeoutTokenId { get; set; }

    /// <summary>The rule's steps (from 1) and, once sent, the failure notice (step 0), each with its outcome (jsonb).</summary>
    public List<StepRecord> Steps { get; set; } = [];

    /// <summary>The template values the commands carry (jsonb).</summary>
    public Dictionary<string, string> Values { get; set; } = [];

    public uint RowVersion { get; set; }
}
