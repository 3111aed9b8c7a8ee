using MassTransit;
using MassTransit.Metadata;
using MassTransit.Middleware;
using MassTransit.Serialization;

namespace Automation.Messaging.Postgres;

/// <summary>A stored scheduled message as MassTransit's <see cref="OutboxMessageSendPipe"/> reads it, so the delivered
/// message gets back its MessageId, headers, addresses and transport properties.</summary>
internal sealed class ScheduledDeliveryContext : OutboxMessageContext
{
    private readonly ScheduledDelivery _message;

    public ScheduledDeliveryContext(ScheduledDelivery message)
    {
        _message = message;
        DestinationAddress = new Uri(message.Destination
            ?? throw new InvalidOperationException($"The scheduled message {message.TokenId} has no destination."));
        var deserializer = SystemTextJsonMessageSerializer.Instance;
        Headers = deserializer.DeserializeDictionary<object?>(message.Headers) is { } headers
            ? new DictionarySendHeaders(headers!)
            : EmptyHeaders.Instance;
        Properties = deserializer.DeserializeDictionary<object>(message.Properties) ?? new Dictionary<string, object>();
    }

    public Guid TokenId => _message.TokenId;

    public Guid MessageId => _message.MessageId ?? _message.TokenId;

    public long SequenceNumber => 0;

    public string ContentType => _message.ContentType ?? SystemTextJsonMessageSerializer.JsonContentType.ToString();

    public string MessageType => _message.MessageType ?? "";

    public string Body => _message.Body ?? throw new InvalidOperationException($"The scheduled message {_message.TokenId} has no body.");

    public IReadOnlyDictionary<string, object> Properties { get; }

    public Uri DestinationAddress { get; }

    public Headers Headers { get; }

    Guid? MessageContext.MessageId => MessageId;

    public Guid? RequestId => _message.RequestId;

    public Guid? CorrelationId => _message.CorrelationId;

    public Guid? ConversationId => _message.ConversationId;

    public Guid? InitiatorId => _message.InitiatorId;

    public DateTime? ExpirationTime => _message.ExpirationTime;

    public Uri? SourceAddress => ToUri(_message.SourceAddress);

    public Uri? ResponseAddress => ToUri(_message.ResponseAddress);

    public Uri? FaultAddress => ToUri(_message.FaultAddress);

    public DateTime? SentTime => _message.CommandTime;

    public HostInfo Host => HostMetadataCache.Host;

    private static Uri? ToUri(string? address) => address is null ? null : new Uri(address);
}
