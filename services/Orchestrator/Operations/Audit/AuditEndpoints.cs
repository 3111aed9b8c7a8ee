using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Automation.Orchestrator.Operations.Audit;

public static class AuditEndpoints
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static RouteGroupBuilder MapAuditEndpoints(this RouteGroupBuilder operations)
    {
        operations.MapGet("/audit", PageAsync)
            .WithName("ListOperatorActions")
            .WithSummary("The audit: what operators replayed and redrove")
            .WithDescription("Newest first: who, when, what was asked and what came of it (the runs started, the messages moved).");
        operations.MapGet("/audit/{id}", FindAsync)
            .WithName("GetOperatorAction")
            .WithSummary("One operator action")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return operations;
    }

    private static async Task<Results<Ok<AuditPageView>, ValidationProblem>> PageAsync(
        [FromQuery(Name = "operator"), Description("Only this operator's actions.")] string? operatorName,
        [FromQuery, Description("replay or redrive.")] string? kind,
        [FromQuery, Description("Actions per page, 1 to 200 (50).")] string? limit,
        [FromQuery, Description("The nextCursor of the previous page.")] string? cursor,
        HttpRequest request, AuditLog audit, CancellationToken cancellationToken)
    {
        var errors = new ParameterErrors();
        errors.RejectUnknown(request.Query, ["operator", "kind", "limit", "cursor"]);
        if (kind is not null and not (OperatorActionKinds.Replay or OperatorActionKinds.Redrive))
        {
            errors.Add("kind", $"'{kind}' is not replay or redrive");
        }

        var page = new PageRequest(errors.Limit(limit, DefaultLimit, MaxLimit), errors.Cursor(cursor));
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        return TypedResults.Ok(await audit.PageAsync(operatorName, kind, page, cancellationToken));
    }

    private static async Task<Results<Ok<OperatorActionView>, ProblemHttpResult>> FindAsync(string id, AuditLog audit, CancellationToken cancellationToken) =>
        Guid.TryParse(id, out var actionId) && await audit.FindAsync(actionId, cancellationToken) is { } action
            ? TypedResults.Ok(action)
            : OperationsProblems.NotFound($"No operator action with id '{id}'.");
}
