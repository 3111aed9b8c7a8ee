using System.Diagnostics;
using System.Text.Json;
using MassTransit;
using MassTransit.Context;
using MassTransit.Logging;
using MassTransit.Scheduling;
using MassTransit.Serialization;

namespace Automation.Messaging.Postgres;

/// <summary>Turns a received <see cref="ScheduleMessage"/> into the row that will be sent later: the payload serialized as
/// a whole envelope (as the destination reads it), with the command's MessageId, headers and addresses.</summary>
internal static class ScheduledDeliveryFactory
{
    public static ScheduledDelivery Create(ConsumeContext<ScheduleMessage> context, DateTime now)
    {
        var command = context.Message;
        if (command.Destination is null || command.Payload is null || command.PayloadType is not { Length: > 0 })
        {
            throw new ArgumentException($"The schedule command {command.CorrelationId} has no destination, payload or payload type.");
        }

        var body = context.SerializerContext.GetMessageSerializer(command.Payload, command.PayloadType)
            .GetMessageBody(new MessageSendContext<ScheduleMessage>(command, context.CancellationToken));

        return new ScheduledDelivery
        {
            TokenId = command.CorrelationId,
            DueAt = CeilingToMicrosecond(Utc(command.ScheduledTime)),
            CommandTime = Utc(context.SentTime ?? now),
            CreatedAt = now,
            Destination = command.Destination.ToString(),
            MessageId = context.MessageId,
            ContentType = (context.ReceiveContext.ContentType ?? SystemTextJsonMessageSerializer.JsonContentType).ToString(),
            MessageType = string.Join(';', command.PayloadType),
            Body = body.GetString(),
            Headers = Headers(context),
            Properties = Properties(context),
            ConversationId = context.ConversationId,
            CorrelationId = context.CorrelationId,
            InitiatorId = context.InitiatorId,
            RequestId = context.RequestId,
            SourceAddress = context.SourceAddress?.ToString(),
            ResponseAddress = context.ResponseAddress?.ToString(),
            FaultAddress = context.FaultAddress?.ToString(),
            ExpirationTime = context.ExpirationTime is { } expiration ? Utc(expiration) : null,
        };
    }

    /// <summary>The row of a send that a consumer behind the inbox scheduled (<see cref="TransactionalScheduleMessageProvider"/>):
    /// the message as its send context serialized it, with its own MessageId, headers and addresses.</summary>
    public static ScheduledDelivery Create<T>(SendContext<T> context, ScheduledSend scheduled, DateTime now)
        where T : class
    {
        var message = OutboxMessageFactory.Create(context, now);
        return new ScheduledDelivery
        {
            TokenId = scheduled.TokenId,
            DueAt = CeilingToMicrosecond(Utc(scheduled.DueAt)),
            CommandTime = now,
            CreatedAt = now,
            Destination = context.DestinationAddress?.ToString()
                ?? throw new MessageException(typeof(T), "A scheduled message needs a destination address"),
            MessageId = message.MessageId,
            ContentType = message.ContentType,
            MessageType = message.MessageType,
            Body = message.Body,
            Headers = Headers(context.Headers),
            Properties = message.SerializedProperties,
            ConversationId = message.ConversationId,
            CorrelationId = message.CorrelationId,
            InitiatorId = message.InitiatorId,
            RequestId = message.RequestId,
            SourceAddress = message.SourceAddress?.ToString(),
            ResponseAddress = message.ResponseAddress?.ToString(),
            FaultAddress = message.FaultAddress?.ToString(),
            ExpirationTime = message.ExpirationTime,
        };
    }

    public static DateTime Utc(DateTime time) => time.Kind switch
    {
        DateTimeKind.Utc => time,
        DateTimeKind.Local => time.ToUniversalTime(),
        _ => DateTime.SpecifyKind(time, DateTimeKind.Utc),
    };

    // PostgreSQL keeps microseconds: rounding the due time up keeps "never before due" exact.
    private static DateTime CeilingToMicrosecond(DateTime time)
    {
        var remainder = time.Ticks % TimeSpan.TicksPerMicrosecond;
        return remainder == 0 ? time : time.AddTicks(TimeSpan.TicksPerMicrosecond - remainder);
    }

    private static string Headers(ConsumeContext context) => Headers(context.Headers);

    private static string Headers(Headers source)
    {
        var headers = source.GetAll().ToDictionary(header => header.Key, header => header.Value, StringComparer.OrdinalIgnoreCase);

        // The delivery's trace continues under this consume (itself under whoever scheduled), not as a new trace.
        if (Activity.Current?.Id is { } activityId)
        {
            headers[DiagnosticHeaders.ActivityId] = activityId;
        }

        return JsonSerializer.Serialize(headers, SystemTextJsonMessageSerializer.Options);
    }

    private static string? Properties(ConsumeContext context) =>
        context.ReceiveContext.TryGetPayload<TransportReceiveContext>(out var transport)
        && transport.GetTransportProperties() is { Count: > 0 } properties
            ? JsonSerializer.Serialize(properties, SystemTextJsonMessageSerializer.Options)
            : null;
}
