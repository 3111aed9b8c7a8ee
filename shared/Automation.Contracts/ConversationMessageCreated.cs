namespace Automation.Contracts;

/// <summary><c>conversation.message_created</c>: a message was posted in a conversation.</summary>
public sealed record ConversationMessageCreated(
    EventMetadata Metadata,
    string ConversationId,
    string MessageId,
    Person? Author,
    string? Channel,
    string? Text) : IWebhookEvent;
