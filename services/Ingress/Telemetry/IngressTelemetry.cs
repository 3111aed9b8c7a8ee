using System.Diagnostics;
using System.Diagnostics.Metrics;
using Automation.Ingress.Envelopes;
using Automation.ServiceDefaults;

namespace Automation.Ingress.Telemetry;

/// <summary>Why a webhook was refused: the <c>reason</c> tag of <c>automation.ingress.rejected</c>.</summary>
public enum RejectionReason
{
    UnknownSource,
    UnsupportedMediaType,
    TooLarge,
    Timeout,
    BadRequest,
    InvalidSignature,
    InvalidEnvelope,
    UnknownVersion,
    RateLimited,
    Unavailable,
    OutboxFull,
}

/// <summary>The Ingress' metrics (meter <c>Automation.Ingress</c>) and its span around the accept path. Tags are the
/// configured source id (unknown sources are tagged <c>unknown</c>, so a caller cannot grow the tag set), the event
/// type where known, and the reason of a rejection: never a secret, a signature or a body.</summary>
public sealed class IngressTelemetry
{
    public const string Name = TelemetryExtensions.AutomationInstrumentationPrefix + "Ingress";
    public const string UnknownSourceTag = "unknown";

    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly Counter<long> _received;
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _duplicate;
    private readonly Counter<long> _ignored;
    private readonly Histogram<double> _acceptDuration;
    private readonly Counter<long> _bodiesPurged;
    private readonly Counter<long> _eventsDeleted;

    public IngressTelemetry(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(Name);
        _received = meter.CreateCounter<long>("automation.ingress.received", "{request}", "Webhook requests received.");
        _accepted = meter.CreateCounter<long>("automation.ingress.accepted", "{event}", "Events stored and queued for delivery (202).");
        _rejected = meter.CreateCounter<long>("automation.ingress.rejected", "{request}", "Requests refused, by reason.");
        _duplicate = meter.CreateCounter<long>("automation.ingress.duplicate", "{request}", "Deliveries of an event already stored (200 duplicate).");
        _ignored = meter.CreateCounter<long>("automation.ingress.ignored", "{event}", "Events of an unsubscribed type, recorded and not published.");
        _acceptDuration = meter.CreateHistogram<double>("automation.ingress.accept.duration", "s",
            "Time from the request's arrival to its answer, for requests that reached the store.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
        _bodiesPurged = meter.CreateCounter<long>("automation.ingress.retention.bodies_purged", "{event}",
            "Stored bodies cleared after Ingress:Retention:KeepBodiesFor (the rows stay, and still deduplicate).");
        _eventsDeleted = meter.CreateCounter<long>("automation.ingress.retention.events_deleted", "{event}",
            "Event rows deleted after Ingress:Retention:KeepEventsFor (a later delivery is a new event).");
    }

    public void Retained(int bodiesPurged, int eventsDeleted)
    {
        _bodiesPurged.Add(bodiesPurged);
        _eventsDeleted.Add(eventsDeleted);
    }

    public void Received(string source) => _received.Add(1, new KeyValuePair<string, object?>("source", source));

    public void Accepted(string source, string type, TimeSpan elapsed)
    {
        _accepted.Add(1, Source(source), Type(type));
        _acceptDuration.Record(elapsed.TotalSeconds, Source(source), new KeyValuePair<string, object?>("outcome", "accepted"));
    }

    public void Duplicate(string source, string type, TimeSpan elapsed)
    {
        _duplicate.Add(1, Source(source), Type(type));
        _acceptDuration.Record(elapsed.TotalSeconds, Source(source), new KeyValuePair<string, object?>("outcome", "duplicate"));
    }

    public void Ignored(string source, string type) => _ignored.Add(1, Source(source), Type(type));

    public void Rejected(string source, RejectionReason reason) =>
        _rejected.Add(1, Source(source), new KeyValuePair<string, object?>("reason", ReasonTag(reason)));

    public static string ReasonTag(RejectionReason reason) => reason switch
    {
        RejectionReason.UnknownSource => "unknown_source",
        RejectionReason.UnsupportedMediaType => "unsupported_media_type",
        RejectionReason.TooLarge => "too_large",
        RejectionReason.Timeout => "timeout",
        RejectionReason.BadRequest => "bad_request",
        RejectionReason.InvalidSignature => "invalid_signature",
        RejectionReason.InvalidEnvelope => "invalid_envelope",
        RejectionReason.UnknownVersion => "unknown_version",
        RejectionReason.RateLimited => "rate_limited",
        RejectionReason.Unavailable => "unavailable",
        RejectionReason.OutboxFull => "outbox_full",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    private static KeyValuePair<string, object?> Source(string source) => new("source", source);

    // A type the ingress has no contract for is the sender's free text: tagged "other", so it cannot grow the tag set.
    private static KeyValuePair<string, object?> Type(string type) => new("type", EventSchemas.IsKnownType(type) ? type : "other");
}
