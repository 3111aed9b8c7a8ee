namespace Automation.Orchestrator.Runs;

/// <summary>The plan of a run of a rule for an event: what <see cref="RunOpener"/> opens a run from. The event consumer
/// opens run 1 from it in its own transaction; an operator's replay sends it to the saga (through the outbox of the
/// transaction that records the replay), whose first message it then is. A second one for the same run id changes
/// nothing.</summary>
/// <param name="RunId">The saga's id, derived from (source, event id, rule, run): <see cref="RunIds.For"/>.</param>
/// <param name="EventRecordId">The Ingress's id of the event (the stored copy's id).</param>
/// <param name="Steps">The rule's steps as resolved for this event when the run started.</param>
/// <param name="Values">The template values of the run (docs/automation.md): <c>data.*</c>, <c>event.*</c>, <c>source</c>,
/// <c>rule</c>, <c>run</c>.</param>
public sealed record StartRun(
    Guid RunId,
    Guid EventRecordId,
    string Source,
    string EventId,
    string EventType,
    string Rule,
    int Run,
    DateTimeOffset OccurredAt,
    IReadOnlyList<PlannedStep> Steps,
    IReadOnlyDictionary<string, string> Values);

/// <summary>One step of a run as its rule resolved it for the event.</summary>
/// <param name="Number">From 1, in rule order; <see cref="Automation.Contracts.StepIdentity.FailureNotice"/> for the failure notice.</param>
/// <param name="Email">The contact's e-mail (CRM steps), null when the event has none.</param>
/// <param name="Name">The contact's name (contact upsert).</param>
/// <param name="Parameters">Contact properties (upsert) or pipeline variables (trigger), resolved.</param>
public sealed record PlannedStep(
    int Number,
    string Kind,
    string? Email = null,
    string? Name = null,
    string? Template = null,
    string? Channel = null,
    string? Pipeline = null,
    IReadOnlyDictionary<string, string>? Parameters = null);
