namespace Automation.Contracts;

/// <summary><c>crm.upsert_contact</c>: create or update the contact whose e-mail is <paramref name="Email"/> (the CRM's
/// natural key, so a repeated call changes nothing more).</summary>
/// <param name="Email">From the event; missing when the event has none, which the connector refuses as a permanent failure.</param>
/// <param name="Name">The person's full name, when the event has one.</param>
/// <param name="Properties">Further contact properties (CRM property name → value), resolved from the event by the rule.</param>
public sealed record UpsertCrmContact(
    StepIdentity Step,
    string? Email,
    string? Name,
    IReadOnlyDictionary<string, string> Properties) : IStepCommand;

/// <summary><c>crm.log_activity</c>: a note on the contact whose e-mail is <paramref name="ContactEmail"/>, its text the
/// <paramref name="Template"/> filled with <paramref name="Values"/> (escaped for the CRM's note format by the connector).</summary>
/// <param name="OccurredAt">When the event happened: the note's timestamp.</param>
public sealed record LogCrmActivity(
    StepIdentity Step,
    string? ContactEmail,
    string Template,
    IReadOnlyDictionary<string, string> Values,
    DateTimeOffset OccurredAt) : IStepCommand;

/// <summary><c>ci.trigger_pipeline</c>: start the configured pipeline <paramref name="Pipeline"/> (a name in the CiTrigger
/// service's configuration, which says which provider, project and credentials) with <paramref name="Variables"/>.</summary>
public sealed record TriggerPipeline(
    StepIdentity Step,
    string Pipeline,
    IReadOnlyDictionary<string, string> Variables) : IStepCommand;

/// <summary><c>notify</c>: send <paramref name="Template"/> filled with <paramref name="Values"/> to the configured
/// <paramref name="Channel"/> (a name in the Notifier's configuration: a Slack incoming webhook or e-mail recipients);
/// the Notifier escapes every value for its target (Slack mrkdwn, e-mail headers).</summary>
public sealed record SendNotification(
    StepIdentity Step,
    string Channel,
    string Template,
    IReadOnlyDictionary<string, string> Values) : IStepCommand;

/// <summary>Compensation of <c>crm.log_activity</c>: delete the note the step created. <paramref name="NoteId"/> is null
/// when the step's outcome is unknown (it timed out): the connector then looks for the note by the step's key.</summary>
public sealed record DeleteCrmNote(StepIdentity Step, string? NoteId) : IStepCommand;

/// <summary>Compensation of <c>ci.trigger_pipeline</c>: cancel the run the step started. <paramref name="RunReference"/> is
/// null when the step's outcome is unknown (it timed out): the connector then looks for the run by the step's key.</summary>
public sealed record CancelPipeline(StepIdentity Step, string Pipeline, string? RunReference) : IStepCommand;
