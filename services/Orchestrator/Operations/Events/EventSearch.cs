using System.Text.Json;
using Automation.Orchestrator.Events;
using Automation.Orchestrator.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Automation.Orchestrator.Operations.Events;

/// <summary>The operator API's reads of events and runs: searches page by (received at, id) newest first, on the index of
/// the same columns; an event's detail loads its runs with their steps.</summary>
public sealed class EventSearch(OrchestratorDbContext db, TraceLinks traces)
{
    public IQueryable<EventCopy> Matching(EventFilter filter)
    {
        var events = db.Events.AsNoTracking();
        if (filter.Source is not null)
        {
            events = events.Where(copy => copy.Source == filter.Source);
        }

        if (filter.Type is not null)
        {
            events = events.Where(copy => copy.Type == filter.Type);
        }

        if (filter.EventId is not null)
        {
            events = events.Where(copy => copy.EventId == filter.EventId);
        }

        if (filter.From is { } from)
        {
            events = events.Where(copy => copy.ReceivedAt >= from);
        }

        if (filter.To is { } to)
        {
            events = events.Where(copy => copy.ReceivedAt < to);
        }

        if (filter.States.Count > 0)
        {
            var states = filter.States.ToList();
            var runs = db.Runs.AsNoTracking();
            // The latest run of a rule: no run of the same event and rule has a higher number.
            events = events.Where(copy => runs.Any(run => run.EventRecordId == copy.Id && states.Contains(run.CurrentState)
                && !runs.Any(later => later.EventRecordId == run.EventRecordId && later.Rule == run.Rule && later.Run > run.Run)));
        }

        return events;
    }

    /// <summary>One page of the matching events, and the cursor of the next page when there is one.</summary>
    public async Task<(List<EventCopy> Events, PageCursor? Next)> PageAsync(EventFilter filter, PageRequest page,
        CancellationToken cancellationToken)
    {
        var events = Matching(filter);
        if (page.After is { } after)
        {
            events = events.Where(copy => EF.Functions.LessThan(ValueTuple.Create(copy.ReceivedAt, copy.Id), ValueTuple.Create(after.At, after.Id)));
        }

        var found = await events.OrderByDescending(copy => copy.ReceivedAt).ThenByDescending(copy => copy.Id)
            .Select(copy => new EventCopy
            {
                Id = copy.Id, Source = copy.Source, EventId = copy.EventId, Type = copy.Type, Version = copy.Version,
                OccurredAt = copy.OccurredAt, ReceivedAt = copy.ReceivedAt, StoredAt = copy.StoredAt, TraceId = copy.TraceId,
            })
            .Take(page.Limit + 1).ToListAsync(cancellationToken);
        if (found.Count <= page.Limit)
        {
            return (found, null);
        }

        found.RemoveAt(page.Limit);
        return (found, new PageCursor(found[^1].ReceivedAt, found[^1].Id));
    }

    public async Task<EventPageView> SearchAsync(EventFilter filter, PageRequest page, CancellationToken cancellationToken)
    {
        var (events, next) = await PageAsync(filter, page, cancellationToken);
        var ids = events.Select(copy => copy.Id).ToList();
        var runs = (await db.Runs.AsNoTracking().Where(run => ids.Contains(run.EventRecordId))
                .Select(run => new { run.EventRecordId, View = new EventRunView(run.CorrelationId, run.Rule, run.Run, run.CurrentState, run.StartedAt, run.FinishedAt) })
                .ToListAsync(cancellationToken))
            .ToLookup(run => run.EventRecordId, run => run.View with { State = RunStates.ToApi(run.View.State) });
        return new EventPageView(
            [.. events.Select(copy => new EventSummaryView(copy.Id, copy.Source, copy.EventId, copy.Type, copy.Version, copy.OccurredAt,
                copy.ReceivedAt, copy.TraceId, [.. runs[copy.Id].OrderBy(run => run.Rule, StringComparer.Ordinal).ThenBy(run => run.Run)]))],
            next?.Encode());
    }

    public async Task<EventDetailView?> DetailAsync(Guid id, CancellationToken cancellationToken)
    {
        var copy = await db.Events.AsNoTracking().SingleOrDefaultAsync(candidate => candidate.Id == id, cancellationToken);
        if (copy is null)
        {
            return null;
        }

        var runs = await db.Runs.AsNoTracking().Where(run => run.EventRecordId == id).ToListAsync(cancellationToken);
        using var data = JsonDocument.Parse(copy.Data);
        return new EventDetailView(copy.Id, copy.Source, copy.EventId, copy.Type, copy.Version, copy.OccurredAt, copy.ReceivedAt,
            copy.StoredAt, data.RootElement.Clone(), copy.TraceId, traces.For(copy.TraceId),
            [.. runs.OrderBy(run => run.Rule, StringComparer.Ordinal).ThenBy(run => run.Run).Select(run => RunDetailView.Of(run, traces))]);
    }
}
