using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;

namespace Automation.Sandbox.GitLab;

/// <summary>GitLab's REST API v4 endpoints the CiTrigger service calls, under <c>/gitlab</c> (its base URL is
/// <c>http://127.0.0.1:5085/gitlab/</c>): a pipeline triggered with a trigger token (form fields <c>variables[KEY]</c>, or
/// JSON), and — with a <c>PRIVATE-TOKEN</c> — a pipeline's cancellation, the project's pipelines and a pipeline's variables,
/// with GitLab's answers and error bodies. The stand-in accepts any non-empty token.</summary>
public static class GitLabPipelinesStandIn
{
    public static IEndpointRouteBuilder MapGitLabPipelines(this IEndpointRouteBuilder app)
    {
        var gitlab = app.MapStandIn("gitlab");
        gitlab.MapPost("/api/v4/projects/{project}/trigger/pipeline", TriggerAsync)
            .WithSummary("Trigger a pipeline with a token (201 with the pipeline)");
        gitlab.MapGet("/api/v4/projects/{project}/pipelines", List).WithSummary("List project pipelines, newest first");
        gitlab.MapGet("/api/v4/projects/{project}/pipelines/{pipelineId:long}", Get).WithSummary("Get a single pipeline");
        gitlab.MapGet("/api/v4/projects/{project}/pipelines/{pipelineId:long}/variables", Variables)
            .WithSummary("Get a pipeline's variables");
        gitlab.MapPost("/api/v4/projects/{project}/pipelines/{pipelineId:long}/cancel", Cancel)
            .WithSummary("Cancel a pipeline's jobs (200 with the pipeline; a finished one stays as it was)");
        return app;
    }

    private static async Task<IResult> TriggerAsync(HttpRequest request, string project, GitLabProjects projects, TimeProvider clock)
    {
        var (fields, variables) = request.HasFormContentType ? await FormAsync(request) : await JsonAsync(request);
        if (fields is null)
        {
            return Results.Json(new { error = "The request body could not be read" }, statusCode: StatusCodes.Status400BadRequest);
        }

        var token = fields.GetValueOrDefault("token") ?? request.Query["token"].ToString();
        var gitRef = fields.GetValueOrDefault("ref") ?? request.Query["ref"].ToString();
        if (string.IsNullOrEmpty(token))
        {
            return Results.Json(new { error = "token is missing" }, statusCode: StatusCodes.Status400BadRequest);
        }

        if (string.IsNullOrEmpty(gitRef))
        {
            return Results.Json(new { error = "ref is missing" }, statusCode: StatusCodes.Status400BadRequest);
        }

        var pipeline = projects.Trigger(Project(project), gitRef, variables, clock.GetUtcNow());
        return Results.Json(PipelineBody(request, pipeline), statusCode: StatusCodes.Status201Created);
    }

    private static IResult List(HttpRequest request, string project, GitLabProjects projects, string? source, string? @ref,
        [FromQuery(Name = "per_page")] int? perPage) =>
        Unauthorized(request) ?? Results.Json(projects.Of(Project(project))
            .Where(pipeline => (source is null || pipeline.Source == source) && (@ref is null || pipeline.Ref == @ref))
            .Take(Math.Clamp(perPage ?? 20, 1, 100))
            .Select(pipeline => PipelineBody(request, pipeline)));

    private static IResult Get(HttpRequest request, string project, long pipelineId, GitLabProjects projects) =>
        Unauthorized(request) ?? (projects.Find(Project(project), pipelineId) is { } pipeline
            ? Results.Json(PipelineBody(request, pipeline))
            : NotFound());

    private static IResult Variables(HttpRequest request, string project, long pipelineId, GitLabProjects projects) =>
        Unauthorized(request) ?? (projects.Find(Project(project), pipelineId) is { } pipeline
            ? Results.Json(pipeline.Variables.Select(variable => new { key = variable.Key, variable_type = "env_var", value = variable.Value }))
            : NotFound());

    private static IResult Cancel(HttpRequest request, string project, long pipelineId, GitLabProjects projects, TimeProvider clock)
    {
        if (Unauthorized(request) is { } refused)
        {
            return refused;
        }

        if (projects.Find(Project(project), pipelineId) is not { } pipeline)
        {
            return NotFound();
        }

        projects.Cancel(pipeline, clock.GetUtcNow());
        return Results.Json(PipelineBody(request, pipeline));
    }

    private static async Task<(Dictionary<string, string>? Fields, Dictionary<string, string> Variables)> FormAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        var fields = form.ToDictionary(field => field.Key, field => field.Value.ToString(), StringComparer.Ordinal);
        var variables = form.Where(field => field.Key.StartsWith("variables[", StringComparison.Ordinal) && field.Key.EndsWith(']'))
            .ToDictionary(field => field.Key["variables[".Length..^1], field => field.Value.ToString(), StringComparer.Ordinal);
        return (fields, variables);
    }

    private static async Task<(Dictionary<string, string>? Fields, Dictionary<string, string> Variables)> JsonAsync(HttpRequest request)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        if (request.ContentLength is 0 or null && !request.Headers.TransferEncoding.Any())
        {
            return (fields, variables);
        }

        try
        {
            using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            foreach (var field in body.RootElement.EnumerateObject())
            {
                if (field.NameEquals("variables") && field.Value.ValueKind == JsonValueKind.Object)
                {
                    foreach (var variable in field.Value.EnumerateObject())
                    {
                        variables[variable.Name] = variable.Value.ToString();
                    }
                }
                else if (field.Value.ValueKind == JsonValueKind.String)
                {
                    fields[field.Name] = field.Value.GetString()!;
                }
            }

            return (fields, variables);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            return (null, variables);
        }
    }

    /// <summary>GitLab answers 401 to a call without a token of a user (a trigger token does not count).</summary>
    private static IResult? Unauthorized(HttpRequest request) =>
        request.Headers["PRIVATE-TOKEN"].ToString().Length > 0
        || request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? null
            : Results.Json(new { message = "401 Unauthorized" }, statusCode: StatusCodes.Status401Unauthorized);

    private static IResult NotFound() => Results.Json(new { message = "404 Not found" }, statusCode: StatusCodes.Status404NotFound);

    // A project path arrives URL-encoded (group%2Fproject).
    private static string Project(string project) => Uri.UnescapeDataString(project);

    private static object PipelineBody(HttpRequest request, GitLabPipeline pipeline) => new
    {
        id = pipeline.Id,
        iid = pipeline.Iid,
        project_id = pipeline.ProjectId,
        sha = "91e2711a93e5d9e8dddfeb6d003b636b25bf6fc9",
        @ref = pipeline.Ref,
        status = pipeline.Status,
        source = pipeline.Source,
        created_at = pipeline.CreatedAt,
        updated_at = pipeline.UpdatedAt,
        web_url = $"{request.Scheme}://{request.Host}/gitlab/{pipeline.ProjectPath}/-/pipelines/{pipeline.Id.ToString(CultureInfo.InvariantCulture)}",
    };
}
