using System.Net.Http.Json;
using System.Text.Json;
using Automation.CiTrigger.Tests.Infrastructure;
using Automation.Contracts;
using Automation.Testing;

namespace Automation.CiTrigger.Tests;

/// <summary>The CiTrigger service against the Sandbox's stand-ins, as a local run without credentials works: a run is
/// started and cancelled, and a run whose answer was lost is still found by its key and cancelled.</summary>
public sealed class SandboxFlowTests(CiTriggerWithSandbox ci) : IClassFixture<CiTriggerWithSandbox>
{
    private StepProbe Probe => ci.Service.Probe;

    [Fact]
    public async Task A_GitHub_run_is_started_with_the_key_in_its_inputs_and_cancelled_by_its_reference()
    {
        var step = TestPipelines.NewStep();

        await Probe.SendAsync(StepCommandQueues.TriggerPipeline, new TriggerPipeline(step, TestPipelines.GitHub,
            new Dictionary<string, string> { ["title"] = "Hello" }));
        var reference = (await Probe.Succeeded(step)).ExternalReference!;
        var runId = long.Parse(reference["github:example/website:".Length..], System.Globalization.CultureInfo.InvariantCulture);
        await Probe.SendAsync(StepCommandQueues.CancelPipeline, new CancelPipeline(step, TestPipelines.GitHub, reference));

        Assert.Equal($"workflow run {runId} of example/website cancelled", (await Probe.Compensated(step)).Outcome);
        var run = await GitHubRunAsync(runId);
        Assert.Equal($"publish.yml Hello {step.IdempotencyKey}", run.GetProperty("display_title").GetString());
        Assert.Equal("cancelled", run.GetProperty("conclusion").GetString());
    }

    [Fact]
    public async Task A_GitHub_run_whose_answer_was_lost_is_found_by_the_steps_key_and_cancelled()
    {
        var step = TestPipelines.NewStep();
        await ci.PlanFailureAsync(new { api = "github", method = "POST", pathContains = "/dispatches", status = 422, afterEffect = true });

        await Probe.SendAsync(StepCommandQueues.TriggerPipeline, new TriggerPipeline(step, TestPipelines.GitHub, TestPipelines.NoVariables));
        await Probe.Faulted<TriggerPipeline>(step);
        await Probe.SendAsync(StepCommandQueues.CancelPipeline, new CancelPipeline(step, TestPipelines.GitHub, RunReference: null));

        var outcome = (await Probe.Compensated(step)).Outcome;
        Assert.Matches(@"^workflow run \d+ of example/website cancelled \(found by the step's key\)$", outcome);
    }

    [Fact]
    public async Task A_GitLab_pipeline_is_triggered_and_one_whose_answer_was_lost_is_found_by_its_key_variable_and_cancelled()
    {
        var started = TestPipelines.NewStep();
        var lost = TestPipelines.NewStep();

        await Probe.SendAsync(StepCommandQueues.TriggerPipeline, new TriggerPipeline(started, TestPipelines.GitLab, TestPipelines.NoVariables));
        Assert.Matches(@"^gitlab:example/docs:\d+$", (await Probe.Succeeded(started)).ExternalReference);
        await ci.PlanFailureAsync(new { api = "gitlab", method = "POST", pathContains = "/trigger/pipeline", status = 400, afterEffect = true });
        await Probe.SendAsync(StepCommandQueues.TriggerPipeline, new TriggerPipeline(lost, TestPipelines.GitLab, TestPipelines.NoVariables));
        await Probe.Faulted<TriggerPipeline>(lost);
        await Probe.SendAsync(StepCommandQueues.CancelPipeline, new CancelPipeline(lost, TestPipelines.GitLab, RunReference: null));

        Assert.Matches(@"^pipeline \d+ of example/docs cancelled \(found by the step's key\)$", (await Probe.Compensated(lost)).Outcome);
    }

    private async Task<JsonElement> GitHubRunAsync(long runId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/github/repos/example/website/actions/runs/{runId}");
        request.Headers.Add("Authorization", "Bearer github_pat_sandbox");
        using var response = await ci.Sandbox.SendAsync(request, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }
}
