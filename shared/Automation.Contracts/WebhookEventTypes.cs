namespace Automation.Contracts;

/// <summary>The envelope <c>type</c> of each event the ingress publishes, and the contract it is published as.
/// Each contract is the internal shape of its type: newer envelope versions are upcast onto it by the ingress, so
/// consumers see one contract per type whatever version the source sent (<see cref="EventMetadata.Version"/> says which).</summary>
public static class WebhookEventTypes
{
    /// <summary>Published as <see cref="Contracts.ContentStateChanged"/>.</summary>
    public const string ContentStateChanged = "content.state_changed";

    /// <summary>Published as <see cref="Contracts.SurveyCompleted"/>.</summary>
    public const string SurveyCompleted = "survey.completed";

    /// <summary>Published as <see cref="Contracts.ConversationMessageCreated"/>.</summary>
    public const string ConversationMessageCreated = "conversation.message_created";

    /// <summary>Published as <see cref="Contracts.TaskExecuted"/>.</summary>
    public const string TaskExecuted = "task.executed";

    /// <summary>Every contract the ingress publishes.</summary>
    public static IReadOnlyCollection<Type> Contracts { get; } =
        [typeof(ContentStateChanged), typeof(SurveyCompleted), typeof(ConversationMessageCreated), typeof(TaskExecuted)];
}
