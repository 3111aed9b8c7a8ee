namespace Automation.Contracts;

/// <summary>The queue each step command is sent to. The orchestrator sends commands (they are meant for one service) to
/// these addresses, and each connector's consumer of the command listens on its queue; a send declares the queue, so a
/// command sent before its service first started waits for it.</summary>
public static class StepCommandQueues
{
    public const string UpsertCrmContact = "crm-sync-upsert-crm-contact";
    public const string LogCrmActivity = "crm-sync-log-crm-activity";
    public const string DeleteCrmNote = "crm-sync-delete-crm-note";
    public const string TriggerPipeline = "ci-trigger-trigger-pipeline";
    public const string CancelPipeline = "ci-trigger-cancel-pipeline";
    public const string SendNotification = "notifier-send-notification";

    /// <summary>The address to send a command to, e.g. <c>queue:crm-sync-upsert-crm-contact</c>.</summary>
    public static Uri Address(string queue) => new($"queue:{queue}");
}
