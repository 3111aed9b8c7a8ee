namespace Automation.Contracts;

/// <summary>The kinds of step a rule can run, as written in the rules' configuration.</summary>
public static class StepKinds
{
    /// <summary>Create or update the CRM contact of an e-mail address: <see cref="UpsertCrmContact"/>. Not compensable
    /// (the contact may have existed before).</summary>
    public const string CrmUpsertContact = "crm.upsert_contact";

    /// <summary>Log the event as a note on the CRM contact: <see cref="LogCrmActivity"/>; undone by <see cref="DeleteCrmNote"/>.</summary>
    public const string CrmLogActivity = "crm.log_activity";

    /// <summary>Start a CI/CD pipeline: <see cref="TriggerPipeline"/>; undone by <see cref="CancelPipeline"/>.</summary>
    public const string CiTriggerPipeline = "ci.trigger_pipeline";

    /// <summary>Tell people on a channel (Slack, e-mail): <see cref="SendNotification"/>. Not compensable.</summary>
    public const string Notify = "notify";

    public static IReadOnlyCollection<string> All { get; } = [CrmUpsertContact, CrmLogActivity, CiTriggerPipeline, Notify];
}
