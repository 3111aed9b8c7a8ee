using Automation.Contracts;

namespace Automation.Ingress.Envelopes;

/// <summary><c>conversation.message_created</c> data.</summary>
internal static class ConversationMessageCreatedData
{
    /// <summary>Version 1: <c>{conversationId, messageId, author, channel, text}</c>.</summary>
    public static IWebhookEvent ReadVersion1(JsonObjectReader data, EventMetadata metadata) =>
        new ConversationMessageCreated(
            metadata,
            data.RequiredString("conversationId"),
            data.RequiredString("messageId"),
            PersonData.ReadOptional(data.OptionalObject("author")),
            data.OptionalString("channel"),
            data.OptionalString("text"));
}
