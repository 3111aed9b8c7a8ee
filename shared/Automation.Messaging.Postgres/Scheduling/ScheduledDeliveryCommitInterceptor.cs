using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Automation.Messaging.Postgres;

/// <summary>Wakes this process's scheduled-delivery loop when a transaction that stored scheduled messages commits (they
/// become visible to the loop only then), so a message due sooner than the loop's planned wake-up is not left to the
/// fallback poll.</summary>
internal sealed class ScheduledDeliveryCommitInterceptor(ScheduledDeliverySignal signal) : IDbTransactionInterceptor
{
    private static readonly ConditionalWeakTable<DbContext, object> Pending = new();
    private static readonly object Marker = new();

    public static void MarkPending(DbContext dbContext) => Pending.AddOrUpdate(dbContext, Marker);

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Signal(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Signal(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    private void Signal(DbContext? context)
    {
        if (context is not null && Pending.Remove(context))
        {
            signal.Notify();
        }
    }

    private static void Forget(DbContext? context)
    {
        if (context is not null)
        {
            Pending.Remove(context);
        }
    }
}
