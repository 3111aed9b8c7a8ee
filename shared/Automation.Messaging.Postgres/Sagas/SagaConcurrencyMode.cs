namespace Automation.Messaging.Postgres;

/// <summary>How the PostgreSQL saga repository keeps concurrent messages for one saga instance from losing each other's changes.</summary>
public enum SagaConcurrencyMode
{
    /// <summary>Each message locks its instance for its transaction: a transaction-scoped advisory lock on the correlation id
    /// (which also covers an instance not created yet) and <c>SELECT … FOR UPDATE</c>. Concurrent messages for one instance
    /// wait for each other instead of failing, so no retry is needed.</summary>
    Pessimistic,

    /// <summary>No lock: an update checks the row's <c>xmin</c> and a concurrent change (or a concurrent first insert)
    /// throws <see cref="MassTransit.ConcurrencyException"/>, which the endpoint must retry (with a fresh scope, so
    /// <c>UseMessageRetry</c> before the inbox), ideally behind a partitioner by correlation id.</summary>
    Optimistic,
}
