using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;

namespace Automation.Sandbox.GitHub;

/// <summary>GitHub Actions' REST endpoints the CiTrigger service calls, under <c>/github</c> (its base URL is
/// <c>http://127.0.0.1:5085/github/</c>): a workflow's dispatch, its runs, one run and a run's cancellation, with GitHub's
/// answers and error bodies (<c>message</c>, <c>documentation_url</c>, <c>status</c>).</summary>
public static class GitHubActionsStandIn
{
    private const string Docs = "https://docs.github.com/rest/actions";

    public static IEndpointRouteBuilder MapGitHubActions(this IEndpointRouteBuilder app)
    {
        var github = app.MapStandIn("github");
        github.MapPost("/repos/{owner}/{repo}/actions/workflows/{workflow}/dispatches", DispatchAsync)
            .WithSummary("Create a workflow dispatch event (answers 200 with the run when return_run_details is true, else 204)");
        github.MapGet("/repos/{owner}/{repo}/actions/workflows/{workflow}/runs", ListRuns)
            .WithSummary("List workflow runs for a workflow, newest first");
        github.MapGet("/repos/{owner}/{repo}/actions/runs/{runId:long}", GetRun).WithSummary("Get a workflow run");
        github.MapPost("/repos/{owner}/{repo}/actions/runs/{runId:long}/cancel", Cancel)
            .WithSummary("Cancel a workflow run (409 once it has completed)");
        return app;
    }

    private static async Task<IResult> DispatchAsync(HttpRequest request, string owner, string repo, string workflow,
        GitHubActionsRuns runs, TimeProvider clock)
    {
        if (Unauthenticated(request) is { } refused)
        {
            return refused;
        }

        JsonElement body;
        try
        {
            body = (await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted)).RootElement;
        }
        catch (JsonException)
        {
            return Error(400, "Problems parsing JSON", "workflows#create-a-workflow-dispatch-event");
        }

        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("ref", out var gitRef) || gitRef.ValueKind != JsonValueKind.String)
        {
            return Error(422, "Invalid request.\n\n\"ref\" wasn't supplied.", "workflows#create-a-workflow-dispatch-event");
        }

        var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (body.TryGetProperty("inputs", out var given) && given.ValueKind != JsonValueKind.Null)
        {
            if (given.ValueKind != JsonValueKind.Object || given.EnumerateObject().Any(input => input.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array))
            {
                return Error(422, "Invalid request.\n\nFor 'properties/inputs', the inputs are not a map of names to values.",
                    "workflows#create-a-workflow-dispatch-event");
            }

            foreach (var input in given.EnumerateObject())
            {
                inputs[input.Name] = input.Value.ValueKind == JsonValueKind.String ? input.Value.GetString()! : input.Value.GetRawText();
            }
        }

        var run = runs.Start(owner, repo, workflow, gitRef.GetString()!, inputs, clock.GetUtcNow());
        var returnDetails = body.TryGetProperty("return_run_details", out var flag) && flag.ValueKind == JsonValueKind.True;
        return returnDetails
            ? Results.Json(new { workflow_run_id = run.Id, run_url = ApiUrl(request, run), html_url = HtmlUrl(run) })
            : Results.NoContent();
    }

    private static IResult ListRuns(HttpRequest request, string owner, string repo, string workflow, GitHubActionsRuns runs,
        string? @event, [FromQuery(Name = "per_page")] int? perPage)
    {
        if (Unauthenticated(request) is { } refused)
        {
            return refused;
        }

        var all = runs.Of(owner, repo, workflow).Where(run => @event is null or "workflow_dispatch").ToArray();
        var page = all.Take(Math.Clamp(perPage ?? 30, 1, 100)).Select(run => RunBody(request, run)).ToArray();
        return Results.Json(new { total_count = all.Length, workflow_runs = page });
    }

    private static IResult GetRun(HttpRequest request, string owner, string repo, long runId, GitHubActionsRuns runs) =>
        Unauthenticated(request) ?? (runs.Find(owner, repo, runId) is { } run
            ? Results.Json(RunBody(request, run))
            : Error(404, "Not Found", "workflow-runs#get-a-workflow-run"));

    private static IResult Cancel(HttpRequest request, string owner, string repo, long runId, GitHubActionsRuns runs)
    {
        if (Unauthenticated(request) is { } refused)
        {
            return refused;
        }

        if (runs.Find(owner, repo, runId) is not { } run)
        {
            return Error(404, "Not Found", "workflow-runs#cancel-a-workflow-run");
        }

        return runs.TryCancel(run)
            ? Results.Json(new { }, statusCode: StatusCodes.Status202Accepted)
            : Error(409, "Cannot cancel a workflow run that is completed.", "workflow-runs#cancel-a-workflow-run");
    }

    /// <summary>GitHub answers 401 to a call without a token; the stand-in accepts any token.</summary>
    private static IResult? Unauthenticated(HttpRequest request) =>
        request.Headers.Authorization.ToString() is { Length: > 0 } authorization
        && (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || authorization.StartsWith("token ", StringComparison.OrdinalIgnoreCase))
            ? null
            : Error(401, "Requires authentication", "overview/authenticating-to-the-rest-api");

    private static object RunBody(HttpRequest request, GitHubWorkflowRun run) => new
    {
        id = run.Id,
        name = run.Workflow,
        display_title = run.DisplayTitle,
        head_branch = run.Ref,
        path = $".github/workflows/{run.Workflow}",
        @event = "workflow_dispatch",
        status = run.Status,
        conclusion = run.Conclusion,
        url = ApiUrl(request, run),
        html_url = HtmlUrl(run),
        created_at = run.CreatedAt,
        updated_at = run.CreatedAt,
    };

    private static string ApiUrl(HttpRequest request, GitHubWorkflowRun run) =>
        $"{request.Scheme}://{request.Host}/github/repos/{run.Owner}/{run.Repo}/actions/runs/{run.Id.ToString(CultureInfo.InvariantCulture)}";

    private static string HtmlUrl(GitHubWorkflowRun run) =>
        $"https://github.com/{run.Owner}/{run.Repo}/actions/runs/{run.Id.ToString(CultureInfo.InvariantCulture)}";

    private static IResult Error(int status, string message, string page) => Results.Json(
        new { message, documentation_url = $"{Docs}/{page}", status = status.ToString(CultureInfo.InvariantCulture) },
        statusCode: status);
}
