namespace Automation.Messaging.Postgres;

/// <summary>A message stored by the scheduler until it is due, keyed on MassTransit's schedule token. A delivered or
/// cancelled row stays for <see cref="PostgresMessageSchedulerOptions.FinishedRetention"/> so that a late duplicate of
/// its command (or a cancel that overtook its schedule) is recognised instead of scheduling it again.</summary>
public sealed class ScheduledDelivery
{
    public Guid TokenId { get; set; }

    /// <summary>When to send it (UTC). For a cancel that arrived before its schedule, the time of the cancel.</summary>
    public DateTime DueAt { get; set; }

    /// <summary>When the latest command about this token was sent (UTC): an older command never overrides a newer one.</summary>
    public DateTime CommandTime { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? DeliveredAt { get; set; }

    public DateTime? CancelledAt { get; set; }

    public string? Destination { get; set; }

    public Guid? MessageId { get; set; }

    public string? ContentType { get; set; }

    /// <summary>The message's types, separated by <c>;</c>.</summary>
    public string? MessageType { get; set; }

    /// <summary>The message serialized as a whole envelope, as the destination's deserializer reads it.</summary>
    public string? Body { get; set; }

    /// <summary>JSON object of the command's headers (user headers, trace context, redelivery count).</summary>
    public string? Headers { get; set; }

    /// <summary>JSON object of the command's transport properties, if it had any.</summary>
    public string? Properties { get; set; }

    public Guid? ConversationId { get; set; }

    public Guid? CorrelationId { get; set; }

    public Guid? InitiatorId { get; set; }

    public Guid? RequestId { get; set; }

    public string? SourceAddress { get; set; }

    public string? ResponseAddress { get; set; }

    public string? FaultAddress { get; set; }

    public DateTime? ExpirationTime { get; set; }
}
