using System.Collections.Concurrent;

namespace Automation.Messaging.Postgres;

/// <summary>Outboxes whose next message the broker refused, left out of the delivery passes for a while (1 s, doubling up
/// to 10 s), so that one that cannot be delivered now (say an event no queue takes yet) neither holds back the outboxes
/// behind it nor is retried in a tight loop. Kept in memory: another instance, or this one after a restart, tries it at
/// once.</summary>
internal sealed class OutboxDeferrals(TimeProvider time)
{
    private static readonly TimeSpan First = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Longest = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<Guid, (DateTimeOffset Until, TimeSpan Next)> _deferred = new();

    /// <summary>The outboxes a pass must leave alone now.</summary>
    public Guid[] Current()
    {
        if (_deferred.IsEmpty)
        {
            return [];
        }

        var now = time.GetUtcNow();
        return [.. _deferred.Where(deferral => deferral.Value.Until > now).Select(deferral => deferral.Key)];
    }

    public void Defer(Guid outboxId) => _deferred.AddOrUpdate(outboxId,
        _ => (time.GetUtcNow() + First, First * 2),
        (_, deferral) => (time.GetUtcNow() + deferral.Next, deferral.Next * 2 < Longest ? deferral.Next * 2 : Longest));

    public void Delivered(Guid outboxId) => _deferred.TryRemove(outboxId, out _);
}
