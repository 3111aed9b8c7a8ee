namespace Automation.Orchestrator.Runs;

/// <summary>Scheduled through the durable scheduler when a step's command (or the reverse walk's compensation) is sent;
/// it names the step, so a timeout that arrives after its step answered changes nothing.</summary>
public sealed record StepTimedOut(Guid RunId, int Step, bool Compensation);
