namespace Automation.Messaging.Postgres;

/// <summary>For a hot path that stores its own row and its outgoing messages in one SQL statement instead of
/// <c>SaveChanges</c> (one round trip, one implicit transaction): takes what the scope published or sent through the bus
/// outbox as a part of that statement. Registered by <c>UseBusOutbox</c>; usable outside consumers only.</summary>
public interface IBusOutboxRows
{
    /// <summary>The messages published or sent in this scope since the last <c>SaveChanges</c>, taken out of the DbContext;
    /// null when there are none.</summary>
    BusOutboxInsert? TakeUnsaved();
}
