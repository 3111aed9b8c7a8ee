using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Automation.CiTrigger.Pipelines;
using Automation.Connectors;
using Automation.Contracts;

namespace Automation.CiTrigger.GitHub;

/// <summary>GitHub Actions' REST API: a workflow's <c>workflow_dispatch</c>, its runs, and a run's cancellation
/// (https://docs.github.com/en/rest/actions/workflows, https://docs.github.com/en/rest/actions/workflow-runs).</summary>
public sealed class GitHubActionsClient(HttpClient http) : IPipelineProvider
{
    public const string MediaType = "application/vnd.github+json";

    /// <summary>How many of the workflow's newest dispatched runs a lookup by key reads (one page, GitHub's largest).</summary>
    public const int RunsSearched = 100;

    public async Task<PipelineRun> TriggerAsync(PipelineOptions pipeline, TriggerPipeline command, CancellationToken cancellationToken)
    {
        const string operation = "GitHub workflow dispatch";
        var inputs = new Dictionary<string, string>(command.Variables, StringComparer.Ordinal);
        if (pipeline.KeyInput is { } keyInput)
        {
            inputs[keyInput] = command.Step.IdempotencyKey;
        }

        using var request = Request(pipeline, HttpMethod.Post, $"{WorkflowPath(pipeline)}/dispatches", command.Step.IdempotencyKey);
        request.Content = JsonContent.Create(new WorkflowDispatch(pipeline.Ref!, inputs.Count == 0 ? null : inputs,
            pipeline.ReturnRunDetails ? true : null));
        using var response = await http.SendAsync(request, operation, cancellationToken);
        var repository = $"{pipeline.Owner}/{pipeline.Repo}";
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            // A server without return_run_details: the run exists, its id is not told.
            return new PipelineRun(CiProvider.GitHub, repository, null);
        }

        var details = await response.ReadJsonAsync<WorkflowRunDetails>(operation, cancellationToken);
        return details.WorkflowRunId is > 0
            ? new PipelineRun(CiProvider.GitHub, repository, details.WorkflowRunId)
            : throw new PermanentStepException($"{operation}: the answer had no workflow_run_id");
    }

    public async Task<string> CancelAsync(PipelineOptions pipeline, PipelineRun run, string callKey, CancellationToken cancellationToken)
    {
        var id = run.Id!.Value.ToString(CultureInfo.InvariantCulture);
        using var request = Request(pipeline, HttpMethod.Post, $"repos/{RepositoryPath(run.Location)}/actions/runs/{id}/cancel", callKey);
        // 409: "Cannot cancel a workflow run that is completed." — it ran to its end or was cancelled already.
        using var response = await http.SendAsync(request, "GitHub workflow run cancellation", cancellationToken, HttpStatusCode.Conflict);
        return response.StatusCode == HttpStatusCode.Conflict
            ? $"workflow run {id} of {run.Location} had already completed: nothing to cancel"
            : $"workflow run {id} of {run.Location} cancelled";
    }

    /// <summary>Reads the workflow's newest dispatched runs for one whose title (<c>display_title</c>, from the workflow's
    /// <c>run-name</c>) shows the key: only possible when the key is passed as an input (<see cref="PipelineOptions.KeyInput"/>)
    /// and the workflow's <c>run-name</c> shows it, since GitHub tells a run's title but not its inputs.</summary>
    public async Task<PipelineRun?> FindAsync(PipelineOptions pipeline, string stepKey, string callKey, CancellationToken cancellationToken)
    {
        const string operation = "GitHub workflow runs lookup";
        if (pipeline.KeyInput is null)
        {
            return null;
        }

        using var request = Request(pipeline, HttpMethod.Get,
            $"{WorkflowPath(pipeline)}/runs?event=workflow_dispatch&per_page={RunsSearched}", callKey);
        using var response = await http.SendAsync(request, operation, cancellationToken);
        var runs = await response.ReadJsonAsync<WorkflowRuns>(operation, cancellationToken);
        var found = runs.Runs?.FirstOrDefault(run => RunTitle.Shows(run.DisplayTitle, stepKey));
        return found is null ? null : new PipelineRun(CiProvider.GitHub, $"{pipeline.Owner}/{pipeline.Repo}", found.Id);
    }

    private static HttpRequestMessage Request(PipelineOptions pipeline, HttpMethod method, string path, string key)
    {
        var request = new HttpRequestMessage(method, new Uri(pipeline.ApiRoot, path));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaType));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", pipeline.Token);
        request.Headers.Add("X-GitHub-Api-Version", pipeline.ApiVersion);
        request.Headers.Add(ExternalCall.IdempotencyKeyHeader, key);
        return request;
    }

    private static string WorkflowPath(PipelineOptions pipeline) =>
        $"repos/{Uri.EscapeDataString(pipeline.Owner!)}/{Uri.EscapeDataString(pipeline.Repo!)}/actions/workflows/{Uri.EscapeDataString(pipeline.Workflow!)}";

    private static string RepositoryPath(string location) => string.Join('/', location.Split('/').Select(Uri.EscapeDataString));
}
