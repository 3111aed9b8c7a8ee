using MassTransit.Middleware.Outbox;

namespace Automation.Messaging.Postgres;

/// <summary>One scope's unsaved bus outbox (its state row and its messages, in publish order), taken out of the DbContext
/// by <see cref="IBusOutboxRows.TakeUnsaved"/> to be written by the application's own statement through a
/// <see cref="BusOutboxBatch"/>.</summary>
public sealed class BusOutboxInsert
{
    internal BusOutboxInsert(InboxOutboxTables tables, OutboxState outbox, IReadOnlyList<OutboxMessage> messages,
        IBusOutboxNotification notification)
    {
        Tables = tables;
        Outbox = outbox;
        Messages = messages;
        Notification = notification;
    }

    internal InboxOutboxTables Tables { get; }

    internal OutboxState Outbox { get; }

    internal IReadOnlyList<OutboxMessage> Messages { get; }

    internal IBusOutboxNotification Notification { get; }
}
