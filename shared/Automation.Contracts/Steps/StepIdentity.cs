namespace Automation.Contracts;

/// <summary>Which step of which automation run a command, result or fault is about: a late or repeated message is
/// recognised by it, and every outbound call the step makes carries its <see cref="IdempotencyKey"/>.</summary>
/// <param name="RunId">The run's saga (one per event, rule and run).</param>
/// <param name="Source">The source that sent the event.</param>
/// <param name="EventId">The source's event id.</param>
/// <param name="Rule">The rule's name.</param>
/// <param name="Run">1 for the first run of (event, rule); an operator's replay is run n + 1.</param>
/// <param name="Step">The step's position in the rule, from 1; <see cref="FailureNotice"/> for the run's failure notification.</param>
public sealed record StepIdentity(Guid RunId, string Source, string EventId, string Rule, int Run, int Step)
{
    /// <summary>The step number of the notification a run sends when it fails.</summary>
    public const int FailureNotice = 0;

    /// <summary><c>{source}:{eventId}:{rule}:{run}:{step}</c>: the same for every attempt at this step, different for
    /// every other step and run.</summary>
    public string IdempotencyKey => $"{Source}:{EventId}:{Rule}:{Run}:{Step}";

    /// <summary>The key of the call that undoes this step.</summary>
    public string CompensationKey => $"{IdempotencyKey}:compensate";
}

/// <summary>A command the orchestrator sends to a connector service to do (or undo) one step.</summary>
public interface IStepCommand
{
    StepIdentity Step { get; }
}
