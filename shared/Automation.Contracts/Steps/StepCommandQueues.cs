namespace Automation.Contracts;

/// <summary>The queue each step command is sent to. The orchestrator sends commands (they are meant for one service) to
/// these queues, and each connector's consumer of the command listens on its queue.</summary>
public static class StepCommandQueues
{
    public const string UpsertCrmContact = "crm-sync-upsert-crm-contact";
    public const string LogCrmActivity = "crm-sync-log-crm-activity";
    public const string DeleteCrmNote = "crm-sync-delete-crm-note";
    public const string TriggerPipeline = "ci-trigger-trigger-pipeline";
    public const string CancelPipeline = "ci-trigger-cancel-pipeline";
    public const string SendNotification = "notifier-send-notification";

    /// <summary>The address to send a command to: the exchange of the queue's name, e.g.
    /// <c>exchange:crm-sync-upsert-crm-contact</c>, which the connector's endpoint (and its deploy-topology step) binds to
    /// the queue. Not <c>queue:</c>: a send to that address declares the queue itself, without the type its endpoint gave
    /// it, and RabbitMQ refuses the second declaration of a quorum queue (PRECONDITION_FAILED). A command sent before its
    /// queue exists comes back from RabbitMQ (the outbox sends with the mandatory flag) and waits in the outbox.</summary>
    public static Uri Address(string queue) => new($"exchange:{queue}");
}
