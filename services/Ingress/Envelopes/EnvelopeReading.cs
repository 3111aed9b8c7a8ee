using Automation.Contracts;

namespace Automation.Ingress.Envelopes;

public enum EnvelopeStatus
{
    /// <summary>A known type and version, its data valid: <see cref="EnvelopeReading.Event"/> is set.</summary>
    Valid,

    /// <summary>Not an envelope (400): see <see cref="EnvelopeReading.Errors"/>.</summary>
    Malformed,

    /// <summary>A well-formed envelope of a type the ingress has no contract for (never subscribed: answered ignored).</summary>
    UnknownType,

    /// <summary>A well-formed envelope of a known type in a version the ingress cannot read (422).</summary>
    UnknownVersion,
}

/// <summary>What <see cref="EnvelopeReader"/> made of a body.</summary>
public sealed class EnvelopeReading
{
    private static readonly IReadOnlyDictionary<string, string> NoErrors = new Dictionary<string, string>();

    private EnvelopeReading(EnvelopeStatus status, string eventId, string type, int version, IWebhookEvent? webhookEvent,
        IReadOnlyDictionary<string, string> errors, int omittedErrorCount = 0)
    {
        Status = status;
        EventId = eventId;
        Type = type;
        Version = version;
        Event = webhookEvent;
        Errors = errors;
        OmittedErrorCount = omittedErrorCount;
    }

    public EnvelopeStatus Status { get; }

    /// <summary>The envelope's <c>id</c> (empty when malformed).</summary>
    public string EventId { get; }

    /// <summary>The envelope's <c>type</c> (empty when malformed).</summary>
    public string Type { get; }

    public int Version { get; }

    /// <summary>The typed event, upcast to its contract; set only when <see cref="Status"/> is <see cref="EnvelopeStatus.Valid"/>.</summary>
    public IWebhookEvent? Event { get; }

    /// <summary>By JSON path (<c>data.respondent.email</c>, or <c>$</c> for the body as a whole), what is wrong: at most
    /// <see cref="FieldErrors.MaxNamed"/> of them.</summary>
    public IReadOnlyDictionary<string, string> Errors { get; }

    /// <summary>How many more errors were found than <see cref="Errors"/> names.</summary>
    public int OmittedErrorCount { get; }

    internal static EnvelopeReading Malformed(FieldErrors errors) =>
        new(EnvelopeStatus.Malformed, "", "", 0, null, errors.ByPath, errors.Omitted);

    internal static EnvelopeReading Malformed(string message) =>
        new(EnvelopeStatus.Malformed, "", "", 0, null, new Dictionary<string, string> { [EnvelopeReader.BodyPath] = message });

    internal static EnvelopeReading Unreadable(EnvelopeStatus status, string eventId, string type, int version) =>
        new(status, eventId, type, version, null, NoErrors);

    internal static EnvelopeReading Read(IWebhookEvent webhookEvent) =>
        new(EnvelopeStatus.Valid, webhookEvent.Metadata.EventId, webhookEvent.Metadata.Type, webhookEvent.Metadata.Version,
            webhookEvent, NoErrors);
}
