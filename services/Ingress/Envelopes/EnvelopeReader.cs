using System.Text.Json;
using System.Text.Unicode;
using Automation.Contracts;

namespace Automation.Ingress.Envelopes;

/// <summary>Reads the envelope <c>{id, type, timestamp, version, data}</c> from the raw body and maps its data onto the
/// type's contract. Strict where two readers could disagree (invalid UTF-8, duplicate keys at any depth, trailing
/// content), lenient where a sender may be ahead of us (unknown fields at any level are ignored).</summary>
public static class EnvelopeReader
{
    public const int MaxEventIdLength = 200;
    public const int MaxTypeLength = 200;

    /// <summary>The JSON path that stands for the body as a whole in the problem's <c>errors</c>.</summary>
    public const string BodyPath = "$";

    private static readonly JsonDocumentOptions Options = new() { AllowDuplicateProperties = false };

    /// <param name="body">The raw body.</param>
    /// <param name="source">The source id, for the event's metadata.</param>
    /// <param name="id">Our id for the event, should it be accepted.</param>
    /// <param name="receivedAt">When the request arrived (UTC).</param>
    public static EnvelopeReading Read(ReadOnlyMemory<byte> body, string source, Guid id, DateTimeOffset receivedAt)
    {
        if (body.IsEmpty)
        {
            return EnvelopeReading.Malformed("The body is empty: it must be the event envelope, a JSON object.");
        }

        // The JSON reader does not check the UTF-8 inside strings; the stored raw body must be text every reader agrees on.
        if (!Utf8.IsValid(body.Span))
        {
            return EnvelopeReading.Malformed("The body is not valid UTF-8.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, Options);
        }
        catch (JsonException exception)
        {
            // The parser locates a syntax error, but not a repeated property name: that one is found again here.
            var position = exception.LineNumber is { } line && exception.BytePositionInLine is { } bytePosition
                ? (Line: line + 1, Byte: bytePosition + 1)
                : JsonPositions.OfRepeatedProperty(body.Span);
            return EnvelopeReading.Malformed(position is var (lineNumber, byteNumber)
                ? $"The body is not valid JSON, or an object in it repeats a property name (line {lineNumber}, byte {byteNumber})."
                : "The body is not valid JSON, or an object in it repeats a property name.");
        }

        using (document)
        {
            return Read(document.RootElement, source, id, receivedAt);
        }
    }

    private static EnvelopeReading Read(JsonElement root, string source, Guid id, DateTimeOffset receivedAt)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return EnvelopeReading.Malformed("must be a JSON object (the event envelope)");
        }

        var errors = new FieldErrors();
        var envelope = new JsonObjectReader(root, "", errors);
        var eventId = envelope.RequiredIdentifier("id", MaxEventIdLength);
        var type = envelope.RequiredIdentifier("type", MaxTypeLength);
        var timestamp = envelope.RequiredTimestamp("timestamp");
        var version = envelope.RequiredInteger("version", minimum: 1);
        var data = envelope.RequiredObject("data");
        if (errors.Count > 0)
        {
            return EnvelopeReading.Malformed(errors);
        }

        if (!EventSchemas.TryGetReader(type, version, out var reader))
        {
            var status = EventSchemas.IsKnownType(type) ? EnvelopeStatus.UnknownVersion : EnvelopeStatus.UnknownType;
            return EnvelopeReading.Unreadable(status, eventId, type, version);
        }

        var webhookEvent = reader(data, new EventMetadata(id, source, eventId, type, version, timestamp, receivedAt));
        return errors.Count > 0 ? EnvelopeReading.Malformed(errors) : EnvelopeReading.Read(webhookEvent);
    }
}
