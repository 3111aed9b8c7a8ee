namespace Automation.Messaging.Postgres;

/// <summary>One committed unit of work of the bus outbox (the messages one DbContext saved in one transaction). The
/// delivery service locks it with <c>FOR UPDATE SKIP LOCKED</c>, so two instances never deliver the same outbox.</summary>
public sealed class OutboxState
{
    public Guid OutboxId { get; set; }

    public DateTime Created { get; set; }
}
