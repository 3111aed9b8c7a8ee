using Automation.Orchestrator.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Automation.Orchestrator.Events;

/// <summary>Owns the SQL of the <c>events</c> table.</summary>
public sealed class EventCopyStore(OrchestratorDbContext db)
{
    /// <summary>Stores the copy in the scope's transaction (the inbox's, in a consumer) unless an event with the same
    /// (source, event id) or id is stored already, which it reports as false: that event's runs were started then.</summary>
    public async Task<bool> TryAddAsync(EventCopy copy, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO orchestrator.events (id, source, event_id, type, version, occurred_at, received_at, stored_at, data, trace_id)
            VALUES ({copy.Id}, {copy.Source}, {copy.EventId}, {copy.Type}, {copy.Version}, {copy.OccurredAt}, {copy.ReceivedAt},
                    {copy.StoredAt}, CAST({copy.Data} AS jsonb), {copy.TraceId})
            ON CONFLICT DO NOTHING
            """, cancellationToken) == 1;

    /// <summary>The events with these ids, each row locked until the scope's transaction ends (in id order, so two
    /// replays over overlapping events cannot deadlock): an operator's replays of one event run one after the other.</summary>
    public Task<List<EventCopy>> LockAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken) =>
        db.Events.FromSql($"SELECT * FROM orchestrator.events WHERE id = ANY({ids.ToArray()}) ORDER BY id FOR UPDATE")
            .AsNoTracking().ToListAsync(cancellationToken);
}
