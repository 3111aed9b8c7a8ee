using Microsoft.AspNetCore.Http.HttpResults;

namespace Automation.Orchestrator.Operations.Events;

public static class EventEndpoints
{
    public static RouteGroupBuilder MapEventEndpoints(this RouteGroupBuilder operations)
    {
        operations.MapGet("/events", SearchAsync)
            .WithName("SearchEvents")
            .WithSummary("Search events")
            .WithDescription("Events the orchestrator received, newest first, each with its runs' states. Filters combine; status "
                + "matches the latest run of any of the event's rules. Page with limit and the nextCursor of the previous page. "
                + "An unknown parameter or a bad value is answered 400 naming it.");
        operations.MapGet("/events/{id}", DetailAsync)
            .WithName("GetEvent")
            .WithSummary("An event, its trace and its runs with their steps")
            .WithDescription("The event's copy (data as the orchestrator stored it), its trace id and a link to the trace, and "
                + "every run with each step's status, attempts, external reference, error, times and compensation. "
                + "Step 0 is the run's failure notice.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return operations;
    }

    private static async Task<Results<Ok<EventPageView>, ValidationProblem>> SearchAsync([AsParameters] EventQueryParameters parameters,
        HttpRequest request, EventSearch search, CancellationToken cancellationToken)
    {
        var errors = new ParameterErrors();
        errors.RejectUnknown(request.Query, EventQueryParameters.Names);
        var (filter, page) = parameters.Read(request.Query, errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        return TypedResults.Ok(await search.SearchAsync(filter, page, cancellationToken));
    }

    /// <param name="id">The event's id (the Ingress's, as search results give it).</param>
    private static async Task<Results<Ok<EventDetailView>, ProblemHttpResult>> DetailAsync(string id, EventSearch search,
        CancellationToken cancellationToken) =>
        Guid.TryParse(id, out var eventId) && await search.DetailAsync(eventId, cancellationToken) is { } detail
            ? TypedResults.Ok(detail)
            : OperationsProblems.NotFound($"No event with id '{id}'.");
}
