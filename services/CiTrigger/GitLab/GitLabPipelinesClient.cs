using System.Globalization;
using System.Net.Http.Headers;
using Automation.CiTrigger.Pipelines;
using Automation.Connectors;
using Automation.Contracts;

namespace Automation.CiTrigger.GitLab;

/// <summary>GitLab's REST API v4: a pipeline started with a trigger token, and — with an <c>api</c>-scoped token — its
/// cancellation and the pipelines' lookup (https://docs.gitlab.com/api/pipeline_triggers/, https://docs.gitlab.com/api/pipelines/).</summary>
public sealed class GitLabPipelinesClient(HttpClient http) : IPipelineProvider
{
    /// <summary>How many of the project's newest triggered pipelines on the ref a lookup by key reads (one call each for
    /// their variables).</summary>
    public const int PipelinesSearched = 20;

    private static readonly string[] Finished = ["success", "failed", "canceled", "skipped"];

    public async Task<PipelineRun> TriggerAsync(PipelineOptions pipeline, TriggerPipeline command, CancellationToken cancellationToken)
    {
        const string operation = "GitLab pipeline trigger";
        // Form fields as GitLab documents them (variables[KEY]=value); the token travels in the body, never in the URL.
        var fields = new List<KeyValuePair<string, string>> { new("token", pipeline.TriggerToken!), new("ref", pipeline.Ref!) };
        fields.AddRange(command.Variables
            .Where(variable => !string.Equals(variable.Key, pipeline.KeyVariable, StringComparison.Ordinal))
            .Select(variable => new KeyValuePair<string, string>($"variables[{variable.Key}]", variable.Value)));
        fields.Add(new($"variables[{pipeline.KeyVariable}]", command.Step.IdempotencyKey));
        using var request = Request(pipeline, HttpMethod.Post, $"{ProjectPath(pipeline.Project!)}/trigger/pipeline", command.Step.IdempotencyKey);
        request.Content = new FormUrlEncodedContent(fields);
        using var response = await http.SendAsync(request, operation, cancellationToken);
        var started = await response.ReadJsonAsync<GitLabPipeline>(operation, cancellationToken);
        return started.Id is > 0
            ? new PipelineRun(CiProvider.GitLab, pipeline.Project!, started.Id)
            : throw new PermanentStepException($"{operation}: the answer had no pipeline id");
    }

    public async Task<string> CancelAsync(PipelineOptions pipeline, PipelineRun run, string callKey, CancellationToken cancellationToken)
    {
        const string operation = "GitLab pipeline cancellation";
        var id = run.Id!.Value.ToString(CultureInfo.InvariantCulture);
        using var request = Request(pipeline, HttpMethod.Post, $"{ProjectPath(run.Location)}/pipelines/{id}/cancel", callKey);
        request.Headers.Add("PRIVATE-TOKEN", pipeline.ApiToken);
        using var response = await http.SendAsync(request, operation, cancellationToken);
        // GitLab answers 200 with the pipeline as it now stands, also when it had already finished and nothing was cancelled.
        var after = await response.ReadJsonAsync<GitLabPipeline>(operation, cancellationToken);
        return after.Status is "canceled" or "canceling"
            ? $"pipeline {id} of {run.Location} cancelled"
            : $"pipeline {id} of {run.Location} had already finished ({after.Status ?? "status unknown"}): nothing to cancel";
    }

    /// <summary>Reads the project's newest triggered pipelines on the pipeline's ref, and their variables, for the one whose
    /// <see cref="PipelineOptions.KeyVariable"/> is the step's key.</summary>
    public async Task<PipelineRun?> FindAsync(PipelineOptions pipeline, string stepKey, string callKey, CancellationToken cancellationToken)
    {
        const string operation = "GitLab pipelines lookup";
        var project = ProjectPath(pipeline.Project!);
        using var list = Request(pipeline, HttpMethod.Get,
            $"{project}/pipelines?source=trigger&ref={Uri.EscapeDataString(pipeline.Ref!)}&order_by=id&sort=desc&per_page={PipelinesSearched}", callKey);
        list.Headers.Add("PRIVATE-TOKEN", pipeline.ApiToken);
        using var listed = await http.SendAsync(list, operation, cancellationToken);
        foreach (var candidate in await listed.ReadJsonAsync<GitLabPipeline[]>(operation, cancellationToken))
        {
            if (candidate.Id is not > 0 || candidate.Status is { } status && Finished.Contains(status))
            {
                continue;
            }

            var id = candidate.Id.Value.ToString(CultureInfo.InvariantCulture);
            using var request = Request(pipeline, HttpMethod.Get, $"{project}/pipelines/{id}/variables", callKey);
            request.Headers.Add("PRIVATE-TOKEN", pipeline.ApiToken);
            using var response = await http.SendAsync(request, operation, cancellationToken);
            var variables = await response.ReadJsonAsync<GitLabPipelineVariable[]>(operation, cancellationToken);
            if (variables.Any(variable => variable.Key == pipeline.KeyVariable && variable.Value == stepKey))
            {
                return new PipelineRun(CiProvider.GitLab, pipeline.Project!, candidate.Id);
            }
        }

        return null;
    }

    private static HttpRequestMessage Request(PipelineOptions pipeline, HttpMethod method, string path, string key)
    {
        var request = new HttpRequestMessage(method, new Uri(pipeline.ApiRoot, path));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Add(ExternalCall.IdempotencyKeyHeader, key);
        return request;
    }

    /// <summary><c>api/v4/projects/{id}</c>, a project path URL-encoded as GitLab asks (<c>group%2Fproject</c>).</summary>
    private static string ProjectPath(string project) => $"api/v4/projects/{Uri.EscapeDataString(project)}";
}
