namespace Automation.Contracts;

/// <summary>What every accepted webhook event carries, whatever its type.</summary>
/// <param name="Id">Our identifier of the accepted event.</param>
/// <param name="Source">The configured source that sent it (the <c>{source}</c> of the URL).</param>
/// <param name="EventId">The source's own event identifier, the deduplication key.</param>
/// <param name="Type">The envelope's event type, e.g. <c>survey.completed</c>.</param>
/// <param name="Version">The envelope's data version as received (before upcasting).</param>
/// <param name="OccurredAt">The envelope's timestamp.</param>
/// <param name="ReceivedAt">When the ingress accepted it (UTC).</param>
public sealed record EventMetadata(
    Guid Id,
    string Source,
    string EventId,
    string Type,
    int Version,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt);

/// <summary>Implemented by every event the ingress publishes, so a consumer can take them all.</summary>
public interface IWebhookEvent
{
    EventMetadata Metadata { get; }
}
