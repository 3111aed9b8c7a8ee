namespace Automation.Messaging.Postgres;

/// <summary>One message as seen by one consumer: the row that makes a redelivered MessageId a no-op. Locked with
/// <c>FOR UPDATE</c> while the consumer runs, so concurrent twins of a message wait instead of consuming it again.</summary>
public sealed class InboxState
{
    /// <summary>The original MessageId (<c>ConsumeContext.GetOriginalMessageId()</c>), stable across redeliveries and retries.</summary>
    public Guid MessageId { get; set; }

    /// <summary>Derived by MassTransit from the endpoint name and the consumer type.</summary>
    public Guid ConsumerId { get; set; }

    public DateTime Received { get; set; }

    public int ReceiveCount { get; set; }

    /// <summary>Set in the transaction that ran the consumer: from then on the consumer is never run again for this message.</summary>
    public DateTime? Consumed { get; set; }

    /// <summary>Set once every outgoing message of the consumer reached the broker; the row expires a duplicate-detection
    /// window after this.</summary>
    public DateTime? Delivered { get; set; }

    /// <summary>The last outgoing message handed to the broker, so a redelivery resumes after it.</summary>
    public long? LastSequenceNumber { get; set; }
}
