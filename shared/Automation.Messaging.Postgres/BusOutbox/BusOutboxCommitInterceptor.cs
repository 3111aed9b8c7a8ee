using System.Data.Common;
using System.Runtime.CompilerServices;
using MassTransit.Middleware.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Automation.Messaging.Postgres;

/// <summary>Signals the delivery service when a DbContext that holds bus outbox messages commits: after
/// <c>SaveChanges</c> when it ran in its own transaction, or when the application's explicit transaction commits.</summary>
internal sealed class BusOutboxCommitInterceptor(IBusOutboxNotification notification) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    private static readonly ConditionalWeakTable<DbContext, object> Pending = new();
    private static readonly object Marker = new();

    /// <summary>Called by the scoped bus outbox when it adds a message to <paramref name="dbContext"/>.</summary>
    public static void MarkPending(DbContext dbContext) => Pending.AddOrUpdate(dbContext, Marker);

    /// <summary>Called when the application takes the messages to write them itself (<see cref="IBusOutboxRows"/>).</summary>
    public static void ClearPending(DbContext dbContext) => Pending.Remove(dbContext);

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        SignalIfCommitted(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        SignalIfCommitted(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Signal(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Signal(eventData.Context);
        return Task.CompletedTask;
    }

    private void SignalIfCommitted(DbContext? context)
    {
        // Inside an explicit transaction nothing is visible to the delivery service until that transaction commits.
        if (context?.Database.CurrentTransaction is null)
        {
            Signal(context);
        }
    }

    private void Signal(DbContext? context)
    {
        if (context is not null && Pending.Remove(context))
        {
            notification.Delivered();
        }
    }
}
