using System.Text.Json.Nodes;
using WireMock;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.Server;

namespace Automation.Testing.ExternalApis;

/// <summary>GitHub's and GitLab's APIs as one real HTTP server (WireMock.Net): each test tells it how to answer the calls
/// carrying its step's key, with the bodies the APIs document; every call is recorded for the test to read.</summary>
public sealed class FakeCi : IDisposable
{
    public const string GitHubDispatchPath = "/repos/example/website/actions/workflows/publish.yml/dispatches";
    public const string GitHubRunsPath = "/repos/example/website/actions/workflows/publish.yml/runs";
    public const string GitLabTriggerPath = "/api/v4/projects/example%2Fdocs/trigger/pipeline";
    public const string GitLabPipelinesPath = "/api/v4/projects/example%2Fdocs/pipelines";

    public WireMockServer Server { get; } = WireMockServer.Start();

    public Uri BaseUrl => new($"{Server.Url}/");

    public static string GitHubCancelPath(long runId) => $"/repos/example/website/actions/runs/{runId}/cancel";

    public static string GitLabCancelPath(long pipelineId) => $"{GitLabPipelinesPath}/{pipelineId}/cancel";

    public static string GitLabVariablesPath(long pipelineId) => $"{GitLabPipelinesPath}/{pipelineId}/variables";

    /// <summary>Answers the calls to <paramref name="path"/> that carry <paramref name="key"/> with <paramref name="replies"/>
    /// in turn; the last one answers every later call.</summary>
    public void Answer(string method, string path, string key, params ApiReply[] replies) =>
        // WireMock matches the decoded path (example/docs for example%2Fdocs).
        Server.AnswerInTurn(
            Request.Create().UsingMethod(method).WithPath(Uri.UnescapeDataString(path))
                .WithHeader(KeyedStubs.IdempotencyKeyHeader, new ExactMatcher(key)),
            $"{method} {path} {key}",
            [.. replies.Select(reply => reply.ToResponse())]);

    /// <summary>GitHub's answer to a dispatch with <c>return_run_details</c>: the run's id and URLs.</summary>
    public static ApiReply RunDetails(long runId) => new(200, $$"""
        {"workflow_run_id":{{runId}},
         "run_url":"https://api.github.com/repos/example/website/actions/runs/{{runId}}",
         "html_url":"https://github.com/example/website/actions/runs/{{runId}}"}
        """);

    /// <summary>GitHub's error body.</summary>
    public static ApiReply GitHubError(int status, string message, string? retryAfter = null) => new(status, $$"""
        {"message":"{{message}}","documentation_url":"https://docs.github.com/rest/actions","status":"{{status}}"}
        """, retryAfter);

    /// <summary>A page of a workflow's runs: (id, display_title, status) each.</summary>
    public static ApiReply GitHubRuns(params (long Id, string Title, string Status)[] runs) => new(200, new JsonObject
    {
        ["total_count"] = runs.Length,
        ["workflow_runs"] = new JsonArray(runs.Select(run => (JsonNode)new JsonObject
        {
            ["id"] = run.Id,
            ["name"] = "Publish",
            ["display_title"] = run.Title,
            ["event"] = "workflow_dispatch",
            ["status"] = run.Status,
            ["conclusion"] = null,
            ["head_branch"] = "main",
        }).ToArray()),
    }.ToJsonString());

    /// <summary>A GitLab pipeline as the trigger, cancel and get endpoints answer it.</summary>
    public static ApiReply GitLabPipeline(int status, long id, string pipelineStatus) => new(status, $$"""
        {"id":{{id}},"iid":118,"project_id":123,"sha":"91e2711a93e5d9e8dddfeb6d003b636b25bf6fc9","ref":"main",
         "status":"{{pipelineStatus}}","source":"trigger","created_at":"2026-11-26T10:00:00.000Z",
         "updated_at":"2026-11-26T10:00:01.000Z","web_url":"https://gitlab.example.com/example/docs/-/pipelines/{{id}}"}
        """);

    public static ApiReply GitLabPipelines(params (long Id, string Status)[] pipelines) => new(200, new JsonArray(pipelines
        .Select(pipeline => (JsonNode)new JsonObject
        {
            ["id"] = pipeline.Id,
            ["project_id"] = 123,
            ["ref"] = "main",
            ["status"] = pipeline.Status,
            ["source"] = "trigger",
        }).ToArray()).ToJsonString());

    public static ApiReply GitLabVariables(params (string Key, string Value)[] variables) => new(200, new JsonArray(variables
        .Select(variable => (JsonNode)new JsonObject
        {
            ["key"] = variable.Key,
            ["variable_type"] = "env_var",
            ["value"] = variable.Value,
        }).ToArray()).ToJsonString());

    /// <summary>Every call that carried <paramref name="key"/>, oldest first.</summary>
    public IReadOnlyList<IRequestMessage> CallsWith(string key) => Server.CallsWith(key);

    /// <summary>The path as sent, still URL-encoded (<c>example%2Fdocs</c>).</summary>
    public static string PathOf(IRequestMessage call) => new Uri(call.Url).AbsolutePath;

    public void Dispose() => Server.Stop();
}
