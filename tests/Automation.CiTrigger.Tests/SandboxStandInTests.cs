using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Automation.Sandbox;
using Automation.Testing;

namespace Automation.CiTrigger.Tests;

/// <summary>The Sandbox's GitHub Actions and GitLab stand-ins: GitHub's and GitLab's answers, and a repeated idempotency
/// key answered as the first time, with no second effect.</summary>
public sealed class SandboxStandInTests : IDisposable
{
    private readonly ServiceFactory<SandboxLedger> _sandbox = new(new Dictionary<string, string>());

    private HttpClient Http => field ??= _sandbox.CreateClient();

    [Fact]
    public async Task A_dispatch_repeated_with_its_key_starts_one_run_and_answers_the_first_runs_details()
    {
        var key = $"test:evt_{Guid.NewGuid():N}:content-published:1:2";

        var first = await DispatchAsync(key, new { @ref = "main", inputs = new { idempotency_key = key }, return_run_details = true });
        var again = await DispatchAsync(key, new { @ref = "main", inputs = new { idempotency_key = key }, return_run_details = true });

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var runId = (await first.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("workflow_run_id").GetInt64();
        Assert.Equal(runId, (await again.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("workflow_run_id").GetInt64());
        var runs = await GetJsonAsync("/github/repos/sandbox-test/site/actions/workflows/publish.yml/runs?event=workflow_dispatch", "Bearer x");
        var run = Assert.Single(runs.GetProperty("workflow_runs").EnumerateArray(), run => run.GetProperty("display_title").GetString()!.Contains(key, StringComparison.Ordinal));
        Assert.Equal(runId, run.GetProperty("id").GetInt64());
        Assert.Equal([SandboxLedger.Applied, SandboxLedger.Replayed], Effects(key));
    }

    [Fact]
    public async Task A_dispatch_without_run_details_answers_204_and_one_without_a_ref_or_a_token_is_refused_as_GitHub_does()
    {
        var key = $"test:evt_{Guid.NewGuid():N}:content-published:1:2";

        using var plain = await DispatchAsync(key, new { @ref = "main" });
        using var noRef = await DispatchAsync($"{key}:b", new { inputs = new { } });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/github/repos/sandbox-test/site/actions/workflows/publish.yml/dispatches")
        {
            Content = JsonContent.Create(new { @ref = "main" }),
        };
        using var anonymous = await Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NoContent, plain.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noRef.StatusCode);
        Assert.Equal("Invalid request.\n\n\"ref\" wasn't supplied.",
            (await noRef.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task A_run_is_cancelled_once_then_answers_409_as_a_completed_run()
    {
        var key = $"test:evt_{Guid.NewGuid():N}:content-published:1:2";
        using var dispatched = await DispatchAsync(key, new { @ref = "main", return_run_details = true });
        var runId = (await dispatched.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("workflow_run_id").GetInt64();

        using var cancelled = await PostAsync($"/github/repos/sandbox-test/site/actions/runs/{runId}/cancel", $"{key}:compensate", "Bearer x");
        using var repeated = await PostAsync($"/github/repos/sandbox-test/site/actions/runs/{runId}/cancel", $"{key}:compensate", "Bearer x");
        using var again = await PostAsync($"/github/repos/sandbox-test/site/actions/runs/{runId}/cancel", $"{key}:compensate-again", "Bearer x");
        using var unknown = await PostAsync("/github/repos/sandbox-test/site/actions/runs/1/cancel", $"{key}:unknown", "Bearer x");

        Assert.Equal(HttpStatusCode.Accepted, cancelled.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, repeated.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("Cannot cancel a workflow run that is completed.", await again.Content.ReadAsStringAsync(TestContext.Current.CancellationToken),
            StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var run = await GetJsonAsync($"/github/repos/sandbox-test/site/actions/runs/{runId}", "Bearer x");
        Assert.Equal(("completed", "cancelled"), (run.GetProperty("status").GetString(), run.GetProperty("conclusion").GetString()));
        Assert.Equal([SandboxLedger.Applied, SandboxLedger.Replayed], Effects($"{key}:compensate"));
    }

    [Fact]
    public async Task A_gitlab_trigger_repeated_with_its_key_creates_one_pipeline_whose_variables_carry_the_key()
    {
        var key = $"test:evt_{Guid.NewGuid():N}:content-published:1:2";
        var fields = new Dictionary<string, string>
        {
            ["token"] = "glptt-sandbox", ["ref"] = "main", ["variables[AUTOMATION_IDEMPOTENCY_KEY]"] = key, ["variables[TITLE]"] = "a & b",
        };

        using var first = await TriggerAsync(key, fields);
        using var again = await TriggerAsync(key, fields);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var pipeline = await first.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var id = pipeline.GetProperty("id").GetInt64();
        Assert.Equal(("created", "trigger", "main"),
            (pipeline.GetProperty("status").GetString(), pipeline.GetProperty("source").GetString(), pipeline.GetProperty("ref").GetString()));
        Assert.Equal(id, (await again.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetInt64());
        var pipelines = await GetJsonAsync("/gitlab/api/v4/projects/sandbox-test%2Fdocs/pipelines?source=trigger&ref=main", privateToken: "glpat-x");
        Assert.Single(pipelines.EnumerateArray(), listed => listed.GetProperty("id").GetInt64() == id);
        var variables = await GetJsonAsync($"/gitlab/api/v4/projects/sandbox-test%2Fdocs/pipelines/{id}/variables", privateToken: "glpat-x");
        Assert.Contains(variables.EnumerateArray(), variable =>
            variable.GetProperty("key").GetString() == "AUTOMATION_IDEMPOTENCY_KEY" && variable.GetProperty("value").GetString() == key);
        Assert.Equal([SandboxLedger.Applied, SandboxLedger.Replayed], Effects(key));
    }

    [Fact]
    public async Task A_gitlab_pipeline_is_cancelled_with_an_api_token_only_and_stays_cancelled()
    {
        var key = $"test:evt_{Guid.NewGuid():N}:content-published:1:2";
        using var triggered = await TriggerAsync(key, new Dictionary<string, string> { ["token"] = "glptt-sandbox", ["ref"] = "main" });
        var id = (await triggered.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetInt64();
        var cancel = $"/gitlab/api/v4/projects/sandbox-test%2Fdocs/pipelines/{id}/cancel";

        using var withTriggerToken = await PostAsync(cancel, $"{key}:compensate-0", authorization: null);
        using var cancelled = await PostAsync(cancel, $"{key}:compensate", authorization: null, privateToken: "glpat-x");
        using var again = await PostAsync(cancel, $"{key}:compensate-again", authorization: null, privateToken: "glpat-x");

        Assert.Equal(HttpStatusCode.Unauthorized, withTriggerToken.StatusCode);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal("canceled", (await cancelled.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("canceled", (await again.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("status").GetString());
    }

    public void Dispose() => _sandbox.Dispose();

    private Task<HttpResponseMessage> DispatchAsync(string key, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/github/repos/sandbox-test/site/actions/workflows/publish.yml/dispatches")
        {
            Content = JsonContent.Create(body),
        };
        request.Headers.Add("Authorization", "Bearer github_pat_sandbox");
        request.Headers.Add("Idempotency-Key", key);
        return Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private Task<HttpResponseMessage> TriggerAsync(string key, Dictionary<string, string> fields)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/gitlab/api/v4/projects/sandbox-test%2Fdocs/trigger/pipeline")
        {
            Content = new FormUrlEncodedContent(fields),
        };
        request.Headers.Add("Idempotency-Key", key);
        return Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private Task<HttpResponseMessage> PostAsync(string path, string key, string? authorization, string? privateToken = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Add("Idempotency-Key", key);
        if (authorization is not null)
        {
            request.Headers.Add("Authorization", authorization);
        }

        if (privateToken is not null)
        {
            request.Headers.Add("PRIVATE-TOKEN", privateToken);
        }

        return Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private async Task<JsonElement> GetJsonAsync(string path, string? authorization = null, string? privateToken = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (authorization is not null)
        {
            request.Headers.Add("Authorization", authorization);
        }

        if (privateToken is not null)
        {
            request.Headers.Add("PRIVATE-TOKEN", privateToken);
        }

        using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }

    private string[] Effects(string key) =>
        _sandbox.Services.GetService(typeof(SandboxLedger)) is SandboxLedger ledger
            ? ledger.Calls.Where(call => call.IdempotencyKey == key).Select(call => call.Effect).ToArray()
            : [];
}
