namespace Automation.Orchestrator.Events;

/// <summary>The orchestrator's copy of an event it received (table <c>events</c>): what replays start from and what the
/// operator API searches. Unique per (source, event id), like the Ingress's events.</summary>
public sealed class EventCopy
{
    /// <summary>The Ingress's id of the accepted event (<see cref="Automation.Contracts.EventMetadata.Id"/>).</summary>
    public Guid Id { get; set; }

    public string Source { get; set; } = "";

    /// <summary>The source's own event id.</summary>
    public string EventId { get; set; } = "";

    public string Type { get; set; } = "";

    public int Version { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    /// <summary>When the Ingress accepted it.</summary>
    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>When the orchestrator stored this copy.</summary>
    public DateTimeOffset StoredAt { get; set; }

    /// <summary>The event's data as JSON (jsonb), shaped as the envelope has it (<see cref="EventData"/>).</summary>
    public string Data { get; set; } = "{}";

    /// <summary>The trace the event travelled in, from the webhook to this copy.</summary>
    public string? TraceId { get; set; }
}
