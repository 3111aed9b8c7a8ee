using System.ComponentModel;
using Automation.Orchestrator.Operations.Events;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Automation.Orchestrator.Operations.Replays;

public static class ReplayEndpoints
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static RouteGroupBuilder MapReplayEndpoints(this RouteGroupBuilder operations)
    {
        operations.MapPost("/events/{id}/replay", ReplayEventAsync)
            .WithName("ReplayEvent")
            .WithSummary("Replay an event: run n + 1 of each of its rules, or of one")
            .WithDescription("Starts the next run of every rule the event has runs of (or of rule), doing the steps again under the "
                + "new run's idempotency keys, and records who asked in the audit (Location). 409 when a run of one of them is still "
                + "in progress (nothing is started then); 404 for an unknown event or when there is nothing to replay.")
            .Produces<ReplayView>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        operations.MapPost("/events/replay", ReplayMatchingAsync)
            .WithName("ReplayEvents")
            .WithSummary("Replay the events a search finds")
            .WithDescription("Takes the search's filters (at least one). For each event found (newest first, up to limit: 1 to "
                + $"{MaxLimit}, {DefaultLimit} by default) starts the next run of each rule whose latest run has one of the given "
                + "statuses (of every rule it has runs of, without status; of rule only, with rule). Pairs still in progress are "
                + "skipped and listed with why. nextCursor continues with the events after the last one considered.")
            .Produces<ReplayView>(StatusCodes.Status202Accepted);
        return operations;
    }

    /// <param name="id">The event's id.</param>
    /// <param name="rule">Only this rule's runs (default: every rule the event has runs of).</param>
    private static async Task<Results<Accepted<ReplayView>, ValidationProblem, ProblemHttpResult>> ReplayEventAsync(string id,
        [FromQuery] string? rule, HttpContext context, RunReplayer replayer, CancellationToken cancellationToken)
    {
        var errors = new ParameterErrors();
        errors.RejectUnknown(context.Request.Query, ["rule"]);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (!Guid.TryParse(id, out var eventRecordId))
        {
            return OperationsProblems.NotFound($"No event with id '{id}'.");
        }

        return Answer(await replayer.ReplayEventAsync(OperatorOf(context), eventRecordId, rule, cancellationToken));
    }

    private static async Task<Results<Accepted<ReplayView>, ValidationProblem, ProblemHttpResult>> ReplayMatchingAsync(
        [AsParameters] EventQueryParameters parameters, [FromQuery, Description("Only this rule's runs.")] string? rule, HttpContext context,
        RunReplayer replayer, CancellationToken cancellationToken)
    {
        var query = context.Request.Query;
        var errors = new ParameterErrors();
        errors.RejectUnknown(query, [.. EventQueryParameters.Names, "rule"]);
        var (filter, page) = parameters.Read(query, errors, DefaultLimit, MaxLimit);
        if (filter is { Source: null, Type: null, EventId: null, States.Count: 0, From: null, To: null } && !errors.Any)
        {
            errors.Add("status", "a replay by filter needs at least one of source, type, eventId, status, from, to");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var request = query.ToDictionary(parameter => parameter.Key, parameter => parameter.Value.ToArray(), StringComparer.Ordinal);
        return Answer(await replayer.ReplayMatchingAsync(OperatorOf(context), filter, page, rule, request, cancellationToken));
    }

    private static Results<Accepted<ReplayView>, ValidationProblem, ProblemHttpResult> Answer(ReplayOutcome outcome) => outcome switch
    {
        { Started: { } view } => TypedResults.Accepted($"/operations/audit/{view.Id}", view),
        { Status: StatusCodes.Status400BadRequest } => OperationsProblems.BadRequest(outcome.Parameter!, outcome.Detail!),
        { Status: StatusCodes.Status409Conflict } => OperationsProblems.Conflict(outcome.Detail!),
        _ => OperationsProblems.NotFound(outcome.Detail!),
    };

    private static string OperatorOf(HttpContext context) =>
        context.User.Identity?.Name ?? throw new InvalidOperationException("The operator API ran a request without an operator.");
}
