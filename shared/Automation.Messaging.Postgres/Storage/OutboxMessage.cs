using MassTransit;
using MassTransit.Middleware;
using MassTransit.Serialization;

namespace Automation.Messaging.Postgres;

/// <summary>A serialized message waiting to be sent: in the bus outbox (<see cref="OutboxId"/> set) or in a consumer's
/// outbox (<see cref="InboxMessageId"/> and <see cref="InboxConsumerId"/> set). It is the <see cref="OutboxMessageContext"/>
/// MassTransit's <see cref="OutboxMessageSendPipe"/> rebuilds the original send from (MessageId, headers, trace context).</summary>
public sealed class OutboxMessage : OutboxMessageContext
{
    private Headers? _headers;
    private IReadOnlyDictionary<string, object>? _properties;

    /// <summary>Assigned by the database in insertion order; messages of one outbox are sent in this order.</summary>
    public long SequenceNumber { get; set; }

    public Guid MessageId { get; set; }

    public Guid? OutboxId { get; set; }

    public Guid? InboxMessageId { get; set; }

    public Guid? InboxConsumerId { get; set; }

    public string ContentType { get; set; } = "";

    public string MessageType { get; set; } = "";

    public string Body { get; set; } = "";

    /// <summary>The send headers as a JSON object (includes the trace context MassTransit wrote when the message was stored).</summary>
    public string? SerializedHeaders { get; set; }

    /// <summary>Transport properties (e.g. routing key) as a JSON object.</summary>
    public string? SerializedProperties { get; set; }

    public Guid? ConversationId { get; set; }

    public Guid? CorrelationId { get; set; }

    public Guid? InitiatorId { get; set; }

    public Guid? RequestId { get; set; }

    public Uri? SourceAddress { get; set; }

    public Uri? DestinationAddress { get; set; }

    public Uri? ResponseAddress { get; set; }

    public Uri? FaultAddress { get; set; }

    public DateTime SentTime { get; set; }

    public DateTime? ExpirationTime { get; set; }

    Guid? MessageContext.MessageId => MessageId;

    DateTime? MessageContext.SentTime => SentTime;

    Headers MessageContext.Headers => _headers ??= ReadHeaders();

    HostInfo MessageContext.Host => MassTransit.Metadata.HostMetadataCache.Host;

    IReadOnlyDictionary<string, object> OutboxMessageContext.Properties => _properties ??= ReadProperties();

    private Headers ReadHeaders()
    {
        var headers = SystemTextJsonMessageSerializer.Instance.DeserializeDictionary<object?>(SerializedHeaders);
        return headers is null ? EmptyHeaders.Instance : new DictionarySendHeaders(headers);
    }

    private IReadOnlyDictionary<string, object> ReadProperties() =>
        SystemTextJsonMessageSerializer.Instance.DeserializeDictionary<object>(SerializedProperties)
        ?? new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
}
