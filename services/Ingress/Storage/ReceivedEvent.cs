namespace Automation.Ingress.Storage;

/// <summary>A webhook event the ingress stored: accepted (and published) or ignored (recorded, never published).
/// Unique per (source, event id): the deduplication key.</summary>
public sealed class ReceivedEvent
{
    public Guid Id { get; set; }

    public string Source { get; set; } = "";

    public string EventId { get; set; } = "";

    public string Type { get; set; } = "";

    public int Version { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>The body exactly as received; null once retention has purged it.</summary>
    public byte[]? Body { get; set; }

    /// <summary>The signature scheme that verified it.</summary>
    public string Scheme { get; set; } = "";

    /// <summary>Standard Webhooks' <c>webhook-id</c>, where the scheme has one.</summary>
    public string? WebhookId { get; set; }

    /// <summary><see cref="ReceivedEventStatus.Accepted"/> or <see cref="ReceivedEventStatus.Ignored"/>.</summary>
    public string Status { get; set; } = "";
}

public static class ReceivedEventStatus
{
    public const string Accepted = "accepted";
    public const string Ignored = "ignored";
}
