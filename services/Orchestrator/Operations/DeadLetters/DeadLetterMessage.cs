using System.Globalization;
using System.Text;
using System.Text.Json;
using MassTransit;
using RabbitMQ.Client;

namespace Automation.Orchestrator.Operations.DeadLetters;

/// <summary>Reads what MassTransit left on a message it moved to an error queue: the fault headers
/// (<see cref="MessageHeaders"/>) and the envelope's message id, type and message.</summary>
public static class DeadLetterMessage
{
    /// <summary>Headers a redrive drops: they describe the failure (the next one writes its own), and the redelivery count
    /// would make the consumer think its retries were spent already.</summary>
    public static bool DescribesTheFailure(string header) =>
        header.StartsWith("MT-Fault-", StringComparison.Ordinal) || header.StartsWith("MT-Host-", StringComparison.Ordinal)
        || header is MessageHeaders.Reason or MessageHeaders.RedeliveryCount;

    public static DeadLetterView Read(IReadOnlyBasicProperties properties, ReadOnlyMemory<byte> body)
    {
        var headers = properties.Headers ?? new Dictionary<string, object?>();
        var (messageType, message) = Envelope(body);
        return new DeadLetterView(
            properties.MessageId ?? Header(headers, MessageHeaders.MessageId),
            messageType ?? Header(headers, MessageHeaders.FaultMessageType),
            Header(headers, MessageHeaders.FaultInputAddress),
            Header(headers, MessageHeaders.Reason),
            Header(headers, MessageHeaders.FaultExceptionType),
            Header(headers, MessageHeaders.FaultMessage),
            DateTimeOffset.TryParse(Header(headers, MessageHeaders.FaultTimestamp), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal,
                out var faultedAt) ? faultedAt : null,
            Header(headers, MessageHeaders.FaultConsumerType),
            message);
    }

    public static string? Header(IDictionary<string, object?> headers, string name) => headers.TryGetValue(name, out var value) ? value switch
    {
        null => null,
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        AmqpTimestamp timestamp => DateTimeOffset.FromUnixTimeSeconds(timestamp.UnixTime).ToString("O", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    } : null;

    /// <summary>MassTransit's JSON envelope: <c>{"messageType": ["urn:message:…"], "message": {…}, …}</c>.</summary>
    private static (string? MessageType, JsonElement? Message) Envelope(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var envelope = JsonDocument.Parse(body);
            if (envelope.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            var type = envelope.RootElement.TryGetProperty("messageType", out var types) && types.ValueKind == JsonValueKind.Array
                && types.GetArrayLength() > 0 ? types[0].GetString() : null;
            return (type, envelope.RootElement.TryGetProperty("message", out var message) ? message.Clone() : null);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }
}
