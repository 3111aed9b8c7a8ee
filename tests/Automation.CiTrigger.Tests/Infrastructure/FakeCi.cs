using System.Text.Json.Nodes;
using Automation.Connectors;
using WireMock;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Automation.CiTrigger.Tests.Infrastructure;

/// <summary>GitHub's and GitLab's APIs as one real HTTP server (WireMock.Net): each test tells it how to answer the calls
/// carrying its step's key, with the bodies the APIs document; every call is recorded for the test to read.</summary>
public sealed class FakeCi : IDisposable
{
    public const string GitHubDispatchPath = "/repos/example/website/actions/workflows/publish.yml/dispatches";
    public const string GitHubRunsPath = "/repos/example/website/actions/workflows/publish.yml/runs";
    public const string GitLabTriggerPath = "/api/v4/projects/example%2Fdocs/trigger/pipeline";
    public const string GitLabPipelinesPath = "/api/v4/projects/example%2Fdocs/pipelines";

    public WireMockServer Server { get; } = WireMockServer.Start();

    public Uri Url => new($"{Server.Url}/");

    /// <summary>An answer: status, JSON body, <c>Retry-After</c>, a delay before answering, or a non-JSON body.</summary>
    public sealed record Reply(int Status, string? Json = null, string? RetryAfter = null, TimeSpan? Delay = null, string? Html = null);

    public static string GitHubCancelPath(long runId) => $"/repos/example/website/actions/runs/{runId}/cancel";

    public static string GitLabCancelPath(long pipelineId) => $"{GitLabPipelinesPath}/{pipelineId}/cancel";

    public static string GitLabVariablesPath(long pipelineId) => $"{GitLabPipelinesPath}/{pipelineId}/variables";

    /// <summary>Answers the calls to <paramref name="path"/> that carry <paramref name="key"/> with <paramref name="replies"/>
    /// in turn; the last one answers every later call.</summary>
    public void Answer(string method, string path, string key, params Reply[] replies)
    {
        // WireMock matches the decoded path (example/docs for example%2Fdocs).
        var request = Request.Create().UsingMethod(method).WithPath(Uri.UnescapeDataString(path))
            .WithHeader(ExternalCall.IdempotencyKeyHeader, new ExactMatcher(key));
        if (replies.Length == 1)
        {
            Server.Given(request).RespondWith(Response(replies[0]));
            return;
        }

        var scenario = $"{method} {path} {key}";
        for (var turn = 0; turn < replies.Length; turn++)
        {
            var given = Server.Given(request).InScenario(scenario);
            if (turn > 0)
            {
                given = given.WhenStateIs($"turn {turn}");
            }

            // The last answer keeps its state, so it answers every later call.
            given.WillSetStateTo($"turn {Math.Min(turn + 1, replies.Length - 1)}").RespondWith(Response(replies[turn]));
        }
    }

    /// <summary>GitHub's answer to a dispatch with <c>return_run_details</c>: the run's id and URLs.</summary>
    public static Reply RunDetails(long runId) => new(200, $$"""
        {"workflow_run_id":{{runId}},
         "run_url":"https://api.github.com/repos/example/website/actions/runs/{{runId}}",
         "html_url":"https://github.com/example/website/actions/runs/{{runId}}"}
        """);

    /// <summary>GitHub's error body.</summary>
    public static Reply GitHubError(int status, string message, string? retryAfter = null) => new(status, $$"""
        {"message":"{{message}}","documentation_url":"https://docs.github.com/rest/actions","status":"{{status}}"}
        """, retryAfter);

    /// <summary>A page of a workflow's runs: (id, display_title, status) each.</summary>
    public static Reply GitHubRuns(params (long Id, string Title, string Status)[] runs) => new(200, new JsonObject
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
    public static Reply GitLabPipeline(int status, long id, string pipelineStatus) => new(status, $$"""
        {"id":{{id}},"iid":118,"project_id":123,"sha":"91e2711a93e5d9e8dddfeb6d003b636b25bf6fc9","ref":"main",
         "status":"{{pipelineStatus}}","source":"trigger","created_at":"2026-11-26T10:00:00.000Z",
         "updated_at":"2026-11-26T10:00:01.000Z","web_url":"https://gitlab.example.com/example/docs/-/pipelines/{{id}}"}
        """);

    public static Reply GitLabPipelines(params (long Id, string Status)[] pipelines) => new(200, new JsonArray(pipelines
        .Select(pipeline => (JsonNode)new JsonObject
        {
            ["id"] = pipeline.Id,
            ["project_id"] = 123,
            ["ref"] = "main",
            ["status"] = pipeline.Status,
            ["source"] = "trigger",
        }).ToArray()).ToJsonString());

    public static Reply GitLabVariables(params (string Key, string Value)[] variables) => new(200, new JsonArray(variables
        .Select(variable => (JsonNode)new JsonObject
        {
            ["key"] = variable.Key,
            ["variable_type"] = "env_var",
            ["value"] = variable.Value,
        }).ToArray()).ToJsonString());

    /// <summary>Every call that carried <paramref name="key"/>, oldest first.</summary>
    public IReadOnlyList<IRequestMessage> CallsWith(string key) =>
        Server.LogEntries.Select(entry => entry.RequestMessage)
            .Where(call => Header(call, ExternalCall.IdempotencyKeyHeader) == key)
            .OrderBy(call => call.DateTime)
            .ToArray();

    public static string? Header(IRequestMessage call, string name) =>
        call.Headers?.FirstOrDefault(header => string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();

    /// <summary>The path as sent, still URL-encoded (<c>example%2Fdocs</c>).</summary>
    public static string PathOf(IRequestMessage call) => new Uri(call.Url).AbsolutePath;

    public static void AssertJson(string expected, string? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual ?? "null")),
            $"Expected the JSON body {expected}{Environment.NewLine}but it was {actual}");

    public void Dispose() => Server.Stop();

    /// <summary>WireMock's first answer takes longer than the tests' call timeout while it warms up: take it before the tests do.</summary>
    public async Task WarmUpAsync()
    {
        using var http = new HttpClient();
        using var answer = await http.GetAsync(new Uri(Url, "warm-up"));
    }

    private static IResponseBuilder Response(Reply reply)
    {
        var response = WireMock.ResponseBuilders.Response.Create().WithStatusCode(reply.Status);
        if (reply.Json is not null)
        {
            response = response.WithHeader("Content-Type", "application/json; charset=utf-8").WithBody(reply.Json);
        }

        if (reply.Html is not null)
        {
            response = response.WithHeader("Content-Type", "text/html").WithBody(reply.Html);
        }

        if (reply.RetryAfter is not null)
        {
            response = response.WithHeader("Retry-After", reply.RetryAfter);
        }

        return reply.Delay is { } delay ? response.WithDelay(delay) : response;
    }
}

/// <summary>The CiTrigger service calling a <see cref="FakeCi"/>: one per test class.</summary>
public sealed class CiTriggerWithFakeCi : IAsyncLifetime
{
    public FakeCi Ci { get; } = new();

    public CiTriggerService Service { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await Ci.WarmUpAsync();
        Service = await CiTriggerService.StartAsync(Ci.Url, Ci.Url);
    }

    public async ValueTask DisposeAsync()
    {
        if (Service is not null)
        {
            await Service.DisposeAsync();
        }

        Ci.Dispose();
    }
}
