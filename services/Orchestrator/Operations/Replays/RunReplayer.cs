using System.Text.Json;
using Automation.Orchestrator.Events;
using Automation.Orchestrator.Operations.Audit;
using Automation.Orchestrator.Operations.Events;
using Automation.Orchestrator.Persistence;
using Automation.Orchestrator.Rules;
using Automation.Orchestrator.Runs;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Automation.Orchestrator.Operations.Replays;

/// <summary>Starts run n + 1 of (event, rule): a <see cref="StartRun"/> planned by <see cref="RunPlanner"/>, as run 1's
/// plan was, from the stored event and the rule as configured now, published through the bus outbox in the
/// transaction that records the replay (<c>operator_actions</c>, <c>replayed_runs</c>). The run number is part of every
/// step's idempotency key, so the connectors do the steps again. The events' rows are locked for the transaction, so two
/// replays of one event take turns; a pair whose latest run is still in progress is not replayed.</summary>
public sealed partial class RunReplayer(OrchestratorDbContext db, EventCopyStore events, EventSearch search, RuleBook rules,
    IPublishEndpoint publisher, AuditLog audit, ILogger<RunReplayer> logger)
{
    /// <summary>One event: every rule it has runs of, or only <paramref name="ruleName"/>. Starts nothing (409) when any of
    /// them is in progress.</summary>
    public async Task<ReplayOutcome> ReplayEventAsync(string operatorName, Guid eventRecordId, string? ruleName, CancellationToken cancellationToken)
    {
        if (ruleName is not null && rules.Named(ruleName) is null)
        {
            return UnknownRule(ruleName);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if ((await events.LockAsync([eventRecordId], cancellationToken)).SingleOrDefault() is not { } copy)
        {
            return ReplayOutcome.Refused(StatusCodes.Status404NotFound, $"No event with id {eventRecordId}.");
        }

        var histories = await RunHistory.LoadAsync(db, [eventRecordId], cancellationToken);
        var decisions = (ruleName is null ? RulesOf(copy, histories) : [ruleName]).Select(rule => Decide(copy, rule, histories)).ToList();
        if (decisions.Where(decision => decision.InProgress).Select(decision => $"{decision.Rule}: {decision.SkipReason}").ToList() is { Count: > 0 } busy)
        {
            return ReplayOutcome.Refused(StatusCodes.Status409Conflict,
                $"Event {copy.Source}/{copy.EventId} has a run in progress, so nothing was replayed ({string.Join("; ", busy)}).");
        }

        if (decisions.All(decision => decision.NextRun is null))
        {
            return ReplayOutcome.Refused(StatusCodes.Status404NotFound, decisions.Count == 0
                ? $"Event {copy.Source}/{copy.EventId} has no runs to replay."
                : $"Nothing to replay for event {copy.Source}/{copy.EventId}: {string.Join("; ", decisions.Select(decision => $"{decision.Rule}: {decision.SkipReason}"))}.");
        }

        return await StartAsync(transaction, operatorName, new { @event = eventRecordId, rule = ruleName }, decisions, null, cancellationToken);
    }

    /// <summary>The events a search with <paramref name="filter"/> would list (one page of them): each (event, rule) whose
    /// latest run has one of the filter's statuses (any, without a status), or only <paramref name="ruleName"/>'s. Pairs in
    /// progress are skipped and reported, not refused.</summary>
    public async Task<ReplayOutcome> ReplayMatchingAsync(string operatorName, EventFilter filter, PageRequest page, string? ruleName,
        object request, CancellationToken cancellationToken)
    {
        var only = ruleName is null ? null : rules.Named(ruleName);
        if (ruleName is not null && only is null)
        {
            return UnknownRule(ruleName);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (matched, next) = await search.PageAsync(only is null ? filter : filter with { Type = filter.Type ?? only.EventType }, page,
            cancellationToken);
        var copies = (await events.LockAsync([.. matched.Select(copy => copy.Id)], cancellationToken)).ToDictionary(copy => copy.Id);
        var histories = await RunHistory.LoadAsync(db, copies.Keys, cancellationToken);
        var decisions = new List<ReplayDecision>();
        // In the search's order; events are never deleted, so each found one is locked.
        foreach (var copy in matched.Select(found => copies[found.Id]))
        {
            foreach (var rule in ruleName is null ? RulesOf(copy, histories) : [ruleName])
            {
                var history = histories.GetValueOrDefault((copy.Id, rule));
                if (filter.States.Count == 0 || (history?.LatestState is { } state && filter.States.Contains(state)))
                {
                    decisions.Add(Decide(copy, rule, histories));
                }
            }
        }

        return await StartAsync(transaction, operatorName, request, decisions, next?.Encode(), cancellationToken);
    }

    private async Task<ReplayOutcome> StartAsync(IDbContextTransaction transaction, string operatorName,
        object request, List<ReplayDecision> decisions, string? nextCursor, CancellationToken cancellationToken)
    {
        var starts = decisions.Where(decision => decision.NextRun is not null)
            .Select(decision => (decision.Event, Start: RunPlanner.Plan(decision.Event, FieldsOf(decision.Event), rules.Named(decision.Rule)!,
                decision.NextRun!.Value)))
            .ToList();
        var started = starts.Select(run => new StartedRun(run.Event.Id, run.Event.Source, run.Event.EventId, run.Start.Rule, run.Start.Run, run.Start.RunId))
            .ToList();
        var skipped = decisions.Where(decision => decision.NextRun is null)
            .Select(decision => new SkippedRun(decision.Event.Id, decision.Event.Source, decision.Event.EventId, decision.Rule, decision.SkipReason!))
            .ToList();
        var action = audit.Add(operatorName, OperatorActionKinds.Replay, request, new ReplayResult(started, skipped, nextCursor));
        foreach (var (copy, start) in starts)
        {
            await publisher.Publish(start, cancellationToken);
            db.ReplayedRuns.Add(new ReplayedRun { RunId = start.RunId, ActionId = action.Id, EventRecordId = copy.Id, Rule = start.Rule, Run = start.Run });
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return ReplayOutcome.Refused(StatusCodes.Status409Conflict, "Another replay started the same run meanwhile; nothing was replayed.");
        }

        LogReplayed(operatorName, started.Count, skipped.Count, action.Id);
        return new ReplayOutcome(new ReplayView(action.Id, action.Operator, action.At, started, skipped, nextCursor));
    }

    private ReplayDecision Decide(EventCopy copy, string ruleName, Dictionary<(Guid, string), RunHistory> histories)
    {
        if (rules.Named(ruleName) is not { } rule)
        {
            return ReplayDecision.Skip(copy, ruleName, $"rule {ruleName} is no longer configured, or is disabled");
        }

        if (rule.EventType != copy.Type)
        {
            return ReplayDecision.Skip(copy, ruleName, $"rule {ruleName} is for {rule.EventType} events");
        }

        if (histories.GetValueOrDefault((copy.Id, ruleName)) is not { } history)
        {
            return ReplayDecision.Skip(copy, ruleName, $"the event has no run of rule {ruleName}");
        }

        return history.InProgressReason is { } busy
            ? ReplayDecision.Skip(copy, ruleName, busy, inProgress: true)
            : new ReplayDecision(copy, ruleName, history.NextRun, null, false);
    }

    private static IEnumerable<string> RulesOf(EventCopy copy, Dictionary<(Guid EventRecordId, string Rule), RunHistory> histories) =>
        histories.Keys.Where(key => key.EventRecordId == copy.Id).Select(key => key.Rule).Order(StringComparer.Ordinal);

    private static EventFields FieldsOf(EventCopy copy)
    {
        using var data = JsonDocument.Parse(copy.Data);
        return EventFields.Of(data.RootElement);
    }

    private static ReplayOutcome UnknownRule(string ruleName) =>
        ReplayOutcome.Refused(StatusCodes.Status400BadRequest, $"'{ruleName}' is not an enabled rule", "rule");

    [LoggerMessage(Level = LogLevel.Information, Message = "Operator {Operator} replayed: {Started} run(s) started, {Skipped} skipped (audit {ActionId})")]
    private partial void LogReplayed(string @operator, int started, int skipped, Guid actionId);

    private sealed record ReplayDecision(EventCopy Event, string Rule, int? NextRun, string? SkipReason, bool InProgress)
    {
        public static ReplayDecision Skip(EventCopy copy, string rule, string reason, bool inProgress = false) => new(copy, rule, null, reason, inProgress);
    }
}
