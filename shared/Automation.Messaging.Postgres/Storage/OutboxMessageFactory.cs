using MassTransit;
using MassTransit.Serialization;
using MassTransit.Context;

namespace Automation.Messaging.Postgres;

/// <summary>Turns a send or publish captured by an outbox into the row that will replay it.</summary>
internal static class OutboxMessageFactory
{
    public static OutboxMessage Create<T>(SendContext<T> context, DateTime now, Guid? outboxId = null, Guid? inboxMessageId = null,
        Guid? inboxConsumerId = null)
        where T : class
    {
        var messageId = context.MessageId ?? throw new MessageException(typeof(T), "An outbox message needs a MessageId");
        if (context.Delay > TimeSpan.Zero)
        {
            // The outbox sends as soon as the transaction commits; a silent early delivery would be worse than a clear refusal.
            throw new NotSupportedException(
                $"A delayed send of {TypeCache<T>.ShortName} cannot go through the PostgreSQL outbox: schedule it with the message scheduler instead.");
        }

        var message = new OutboxMessage
        {
            MessageId = messageId,
            OutboxId = outboxId,
            InboxMessageId = inboxMessageId,
            InboxConsumerId = inboxConsumerId,
            ContentType = context.ContentType?.ToString() ?? context.Serialization.DefaultContentType.ToString(),
            MessageType = string.Join(";", context.SupportedMessageTypes),
            Body = context.Serializer.GetMessageBody(context).GetString(),
            SerializedHeaders = SystemTextJsonMessageSerializer.Instance.SerializeDictionary(context.Headers.GetAll()),
            ConversationId = context.ConversationId,
            CorrelationId = context.CorrelationId,
            InitiatorId = context.InitiatorId,
            RequestId = context.RequestId,
            SourceAddress = context.SourceAddress,
            DestinationAddress = context.DestinationAddress,
            ResponseAddress = context.ResponseAddress,
            FaultAddress = context.FaultAddress,
            SentTime = context.SentTime?.ToUniversalTime() ?? now,
            ExpirationTime = context.TimeToLive is { } timeToLive ? now + timeToLive : null,
        };

        if (context is TransportSendContext<T> transportContext)
        {
            var properties = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            transportContext.WritePropertiesTo(properties);
            message.SerializedProperties = SystemTextJsonMessageSerializer.Instance.SerializeDictionary(properties);
        }

        return message;
    }
}
