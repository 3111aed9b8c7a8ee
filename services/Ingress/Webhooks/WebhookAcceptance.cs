using System.Diagnostics;
using Automation.Ingress.Envelopes;
using Automation.Ingress.Sources;
using Automation.Ingress.Storage;
using Automation.Ingress.Telemetry;

namespace Automation.Ingress.Webhooks;

/// <summary>Answers one webhook request. The checks run in the spec's order and the first that fails answers:
/// source (404), content type (415), size while reading (413), signature (401), envelope (400), subscribed type
/// (200 ignored), version (422), rate (429), deduplication (200 duplicate), store (202, or 503). The rate is two budgets
/// per source: new events, and the requests that store nothing new (duplicates and ignored events). Whether an event is
/// new is known only from the store, so a new-event permit is taken before storing and given back when the store finds a
/// duplicate (which the duplicates' budget pays instead); an event found to be a duplicate is remembered for a few
/// seconds (<see cref="RecentDuplicates"/>), so its replays are answered from memory, without the database and without
/// holding a new-event permit even for a round trip; and a request over the new-event rate is looked up, on the
/// duplicates' budget, before it is answered 429, so a replay is told it is a duplicate whatever the sender's rate.</summary>
public sealed partial class WebhookAcceptance(
    SourceCatalog catalog,
    EventStore store,
    OutboxAdmission outbox,
    IngressTelemetry telemetry,
    TimeProvider clock,
    ILogger<WebhookAcceptance> logger)
{
    public async Task<IResult> AcceptAsync(string sourceId, HttpContext context)
    {
        var startedAt = clock.GetTimestamp();
        var receivedAt = clock.GetUtcNow();
        var request = context.Request;

        if (!catalog.TryGet(sourceId, out var source))
        {
            telemetry.Received(IngressTelemetry.UnknownSourceTag);
            return Rejected(IngressTelemetry.UnknownSourceTag, RejectionReason.UnknownSource, WebhookAnswers.UnknownSource());
        }

        telemetry.Received(source.Id);
        if (!JsonContentType.Matches(request.ContentType))
        {
            return Rejected(source.Id, RejectionReason.UnsupportedMediaType, WebhookAnswers.UnsupportedMediaType());
        }

        var timeout = catalog.BodyReadTimeout;
        var read = await WebhookBodyReader.ReadAsync(request, source.MaxBodyBytes, timeout);
        if (read.Status != BodyReadStatus.Read)
        {
            // The rest of the body is not wanted: close the connection after answering rather than drain it.
            context.Response.Headers.Connection = "close";
        }

        switch (read.Status)
        {
            case BodyReadStatus.TooLarge:
                return Rejected(source.Id, RejectionReason.TooLarge, WebhookAnswers.TooLarge(source.MaxBodyBytes));
            case BodyReadStatus.TimedOut:
                return Rejected(source.Id, RejectionReason.Timeout, WebhookAnswers.TimedOut(timeout));
            case BodyReadStatus.Unreadable:
                return Rejected(source.Id, RejectionReason.BadRequest, WebhookAnswers.Unreadable());
        }

        var body = read.Body;
        var signature = source.Verifier.Verify(request.Headers, body);
        if (!signature.IsValid)
        {
            return Rejected(source.Id, RejectionReason.InvalidSignature, WebhookAnswers.Unauthorized());
        }

        var id = Guid.CreateVersion7(receivedAt);
        var envelope = EnvelopeReader.Read(body, source.Id, id, receivedAt);
        if (envelope.Status == EnvelopeStatus.Malformed)
        {
            return Rejected(source.Id, RejectionReason.InvalidEnvelope, WebhookAnswers.InvalidEnvelope(envelope.Errors, envelope.OmittedErrorCount));
        }

        var row = new ReceivedEvent
        {
            Id = id,
            Source = source.Id,
            EventId = envelope.EventId,
            Type = envelope.Type,
            Version = envelope.Version,
            ReceivedAt = receivedAt,
            Body = body,
            Scheme = source.Verifier.Scheme,
            WebhookId = signature.WebhookId,
        };
        using var activity = IngressTelemetry.ActivitySource.StartActivity("webhook accept", ActivityKind.Internal,
            parentContext: default, links: SenderTraceContext.LinksOf(context.Request));
        activity?.SetTag("automation.source", source.Id);
        activity?.SetTag("automation.event.id", envelope.EventId);
        activity?.SetTag("automation.event.type", envelope.Type);

        if (!source.Subscribes(envelope.Type))
        {
            return source.DuplicatesOrIgnored.TryAcquire(out var wait)
                ? await RecordIgnoredAsync(row, activity, context)
                : Rejected(source.Id, RejectionReason.RateLimited, WebhookAnswers.RateLimited(context.Response, wait));
        }

        if (envelope.Status == EnvelopeStatus.UnknownVersion)
        {
            return Rejected(source.Id, RejectionReason.UnknownVersion,
                WebhookAnswers.UnknownVersion(envelope.Type, envelope.Version, EventSchemas.VersionsOf(envelope.Type)));
        }

        row.Status = ReceivedEventStatus.Accepted;
        if (source.RecentDuplicates.TryGet(row.EventId, out var knownOriginal))
        {
            // A replay of an event just found to be a duplicate: answered from memory, on the duplicates' budget.
            return Duplicate(source, row, knownOriginal, activity, startedAt, context);
        }

        if (!source.NewEvents.TryAcquire(out var retryAfter))
        {
            return await OverTheNewEventRateAsync(source, row, retryAfter, activity, startedAt, context);
        }

        // Whether it is new is known only once stored: a duplicate, or an event not stored, gives its permit back.
        StoreOutcome? outcome;
        IResult? unavailable;
        try
        {
            (outcome, unavailable) = await StoreAsync(source, row, envelope, activity, context);
        }
        catch
        {
            // Nothing stored (say the sender hung up mid-store): the permit was not spent.
            source.NewEvents.Return();
            throw;
        }

        if (outcome is { IsDuplicate: false } accepted)
        {
            return Answered(row, accepted, activity, startedAt);
        }

        source.NewEvents.Return();
        return outcome is { } duplicate ? Duplicate(source, row, duplicate.Id, activity, startedAt, context, found: true) : unavailable!;
    }

    /// <summary>No new event may be accepted now, but this may be a replay (of one still held by a request in flight, or not
    /// remembered): looked up on the duplicates' budget, so replays are told they are duplicates and never hold the
    /// sender's new events back, while the look-ups stay within that budget. Anything else is 429.</summary>
    private async Task<IResult> OverTheNewEventRateAsync(WebhookSource source, ReceivedEvent row, TimeSpan retryAfter,
        Activity? activity, long startedAt, HttpContext context)
    {
        Guid? original = null;
        if (source.DuplicatesOrIgnored.TryAcquire(out _))
        {
            try
            {
                original = await store.FindAsync(row.Source, row.EventId, context.RequestAborted);
            }
            catch (Exception exception) when (StorageFailure.IsUnavailable(exception))
            {
                return Unavailable(row, exception, activity, context);
            }
        }

        if (original is not { } id)
        {
            return Rejected(source.Id, RejectionReason.RateLimited, WebhookAnswers.RateLimited(context.Response, retryAfter));
        }

        source.RecentDuplicates.Remember(row.EventId, id);
        return Answered(row, new StoreOutcome(id, IsDuplicate: true), activity, startedAt);
    }

    /// <summary>Stores a new event: its outcome, or the 503 answer when it could not be stored.</summary>
    private async Task<(StoreOutcome? Outcome, IResult? Unavailable)> StoreAsync(WebhookSource source, ReceivedEvent row,
        EnvelopeReading envelope, Activity? activity, HttpContext context)
    {
        try
        {
            if (!await outbox.IsFullAsync(context.RequestAborted))
            {
                return (await store.AcceptAsync(row, envelope.Event!, context.RequestAborted), null);
            }

            // Nothing new is accepted, but a duplicate is still told so: it needs no new message.
            return await store.FindAsync(row.Source, row.EventId, context.RequestAborted) is { } original
                ? (new StoreOutcome(original, IsDuplicate: true), null)
                : (null, Rejected(source.Id, RejectionReason.OutboxFull, WebhookAnswers.Unavailable(context.Response, catalog.UnavailableRetryAfter)));
        }
        catch (Exception exception) when (StorageFailure.IsUnavailable(exception))
        {
            return (null, Unavailable(row, exception, activity, context));
        }
    }

    /// <summary>Answers a duplicate, on the duplicates' budget: 200 with the original's id, or 429 past that budget.</summary>
    /// <param name="found">The database just found it: remembered, so its next replays are answered from memory.</param>
    private IResult Duplicate(WebhookSource source, ReceivedEvent row, Guid original, Activity? activity, long startedAt, HttpContext context,
        bool found = false)
    {
        if (found)
        {
            source.RecentDuplicates.Remember(row.EventId, original);
        }

        return source.DuplicatesOrIgnored.TryAcquire(out var wait)
            ? Answered(row, new StoreOutcome(original, IsDuplicate: true), activity, startedAt)
            : Rejected(source.Id, RejectionReason.RateLimited, WebhookAnswers.RateLimited(context.Response, wait));
    }

    private IResult Answered(ReceivedEvent row, StoreOutcome outcome, Activity? activity, long startedAt)
    {
        var elapsed = clock.GetElapsedTime(startedAt);
        activity?.SetTag("automation.outcome", outcome.IsDuplicate ? WebhookAnswer.Duplicate : WebhookAnswer.Accepted);
        if (outcome.IsDuplicate)
        {
            telemetry.Duplicate(row.Source, row.Type, elapsed);
            LogDuplicate(row.Source, row.EventId, outcome.Id);
            return WebhookAnswers.Duplicate(outcome.Id, row.EventId);
        }

        telemetry.Accepted(row.Source, row.Type, elapsed);
        LogAccepted(row.Source, row.EventId, row.Type, outcome.Id);
        return WebhookAnswers.Accepted(outcome.Id, row.EventId);
    }

    private async Task<IResult> RecordIgnoredAsync(ReceivedEvent row, Activity? activity, HttpContext context)
    {
        row.Status = ReceivedEventStatus.Ignored;
        StoreOutcome outcome;
        try
        {
            outcome = await store.RecordIgnoredAsync(row, context.RequestAborted);
        }
        catch (Exception exception) when (StorageFailure.IsUnavailable(exception))
        {
            return Unavailable(row, exception, activity, context);
        }

        activity?.SetTag("automation.outcome", WebhookAnswer.Ignored);
        telemetry.Ignored(row.Source, row.Type);
        LogIgnored(row.Source, row.EventId, row.Type);
        return WebhookAnswers.Ignored(outcome.Id, row.EventId);
    }

    private IResult Unavailable(ReceivedEvent row, Exception exception, Activity? activity, HttpContext context)
    {
        activity?.SetStatus(ActivityStatusCode.Error, "the event could not be stored");
        activity?.SetTag("automation.outcome", "unavailable");
        LogUnavailable(exception, row.Source, row.EventId);
        store.ForgetIdleConnections();
        return Rejected(row.Source, RejectionReason.Unavailable, WebhookAnswers.Unavailable(context.Response, catalog.UnavailableRetryAfter));
    }

    private IResult Rejected(string source, RejectionReason reason, IResult answer)
    {
        telemetry.Rejected(source, reason);
        LogRejected(source, IngressTelemetry.ReasonTag(reason));
        return answer;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Accepted {Type} event {EventId} from {Source} as {Id}")]
    private partial void LogAccepted(string source, string eventId, string type, Guid id);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Event {EventId} from {Source} is a duplicate of {Id}")]
    private partial void LogDuplicate(string source, string eventId, Guid id);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignored {Type} event {EventId} from {Source}: not subscribed")]
    private partial void LogIgnored(string source, string eventId, string type);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Refused a webhook for source {Source}: {Reason}")]
    private partial void LogRejected(string source, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not store event {EventId} from {Source}: answered 503")]
    private partial void LogUnavailable(Exception exception, string source, string eventId);
}
