namespace Automation.Contracts;

/// <summary>A connector did the step (or had done it already: a repeated command answers with the stored result).</summary>
/// <param name="ExternalReference">What the external system calls the effect (a note id, a pipeline run id, a message
/// id), needed to undo it; null when there is nothing to refer to.</param>
/// <param name="Attempts">How many deliveries of the command it took (1 when the first one succeeded).</param>
public sealed record StepSucceeded(StepIdentity Step, string? ExternalReference, int Attempts, DateTimeOffset CompletedAt);

/// <summary>A connector undid the step, or found nothing to undo (<paramref name="Outcome"/> says which, for operators).</summary>
public sealed record StepCompensated(StepIdentity Step, string Outcome, DateTimeOffset CompletedAt);

// A step or compensation that fails for good is not answered with a message of ours: its command goes to the connector's
// error queue (where operators can redrive it) and MassTransit publishes Fault<TCommand>, which the run reacts to.
