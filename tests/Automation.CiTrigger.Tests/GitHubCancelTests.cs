using Automation.CiTrigger.Tests.Infrastructure;
using Automation.Connectors;
using Automation.Contracts;
using Automation.Testing;

namespace Automation.CiTrigger.Tests;

/// <summary>Compensation of <c>ci.trigger_pipeline</c> on GitHub Actions: the run is cancelled, a run already completed is
/// nothing left to undo, and a run whose id is unknown is found by the step's key in its title.</summary>
public sealed class GitHubCancelTests(CiTriggerWithFakeCi ci) : IClassFixture<CiTriggerWithFakeCi>
{
    private const string Queue = StepCommandQueues.CancelPipeline;

    private FakeCi Api => ci.Ci;

    private StepProbe Probe => ci.Service.Probe;

    [Fact]
    public async Task Cancels_the_run_of_the_reference_with_the_token_and_the_compensation_key()
    {
        var step = TestPipelines.NewStep();
        Api.Answer("POST", FakeCi.GitHubCancelPath(4101), step.CompensationKey, new ApiReply(202, "{}"));

        await Probe.SendAsync(Queue, new CancelPipeline(step, TestPipelines.GitHub, "github:example/website:4101"));

        Assert.Equal("workflow run 4101 of example/website cancelled", (await Probe.Compensated(step)).Outcome);
        var call = Assert.Single(Api.CallsWith(step.CompensationKey));
        Assert.Equal("POST", call.Method);
        Assert.Equal(FakeCi.GitHubCancelPath(4101), FakeCi.PathOf(call));
        Assert.Equal($"Bearer {TestPipelines.GitHubToken}", KeyedStubs.HeaderOf(call, "Authorization"));
        Assert.Equal("application/vnd.github+json", KeyedStubs.HeaderOf(call, "Accept"));
        Assert.Equal("2022-11-28", KeyedStubs.HeaderOf(call, "X-GitHub-Api-Version"));
    }

    [Fact]
    public async Task A_run_that_already_completed_is_compensated_not_failed()
    {
        var step = TestPipelines.NewStep();
        Api.Answer("POST", FakeCi.GitHubCancelPath(4102), step.CompensationKey,
            FakeCi.GitHubError(409, "Cannot cancel a workflow run that is completed."));

        await Probe.SendAsync(Queue, new CancelPipeline(step, TestPipelines.GitHub, "github:example/website:4102"));

        Assert.Equal("workflow run 4102 of example/website had already completed: nothing to cancel", (await Probe.Compensated(step)).Outcome);
        Assert.Single(Api.CallsWith(step.CompensationKey));
        Assert.DoesNotContain(Probe.Received<MassTransit.Fault<CancelPipeline>>(), fault => fault.Message.Step == step);
    }

    [Fact]
    public async Task Without_a_reference_it_cancels_the_run_it_started_for_the_step_as_recorded_here()
    {
        var step = TestPipelines.NewStep();
        Api.Answer("POST", FakeCi.GitHubDispatchPath, step.IdempotencyKey, FakeCi.RunDetails(4103));
        Api.Answer("POST", FakeCi.GitHubCancelPath(4103), step.CompensationKey, new ApiReply(202, "{}"));
        await Probe.SendAsync(StepCommandQueues.TriggerPipeline, new TriggerPipeline(step, TestPipelines.GitHub, TestPipelines.NoVariables));
        await Probe.Succeeded(step);

        // The orchestrator saw the step time out: it does not know the run.
        await Probe.SendAsync(Queue, new CancelPipeline(step, TestPipelines.GitHub, RunReference: null));

        Assert.Equal("workflow run 4103 of example/website cancelled", (await Probe.Compensated(step)).Outcome);
        Assert.Equal(FakeCi.GitHubCancelPath(4103), FakeCi.PathOf(Assert.Single(Api.CallsWith(step.CompensationKey))));
    }

    [Fact]
    public async Task Without_any_reference_it_finds_the_run_whose_title_shows_the_steps_key_and_cancels_it()
    {
        var step = TestPipelines.NewStep(step: 1);
        var stepTen = step with { Step = 10 };
        Api.Answer("GET", FakeCi.GitHubRunsPath, step.CompensationKey, FakeCi.GitHubRuns(
            (4106, $"Publish {stepTen.IdempotencyKey}", "queued"),
            (4105, $"Publish {step.IdempotencyKey}", "in_progress"),
            (4104, "Publish by hand", "completed")));
        Api.Answer("POST", FakeCi.GitHubCancelPath(4105), step.CompensationKey, new ApiReply(202, "{}"));

        await Probe.SendAsync(Queue, new CancelPipeline(step, TestPipelines.GitHub, RunReference: null));

        Assert.Equal("workflow run 4105 of example/website cancelled (found by the step's key)", (await Probe.Compensated(step)).Outcome);
        var calls = Api.CallsWith(step.CompensationKey);
        Assert.Equal(2, calls.Count);
        Assert.Equal("GET", calls[0].Method);
        Assert.Equal(FakeCi.GitHubRunsPath, FakeCi.PathOf(calls[0]));
        Assert.Equal("workflow_dispatch", calls[0].Query!["event"].Single());
        Assert.Equal("100", calls[0].Query!["per_page"].Single());
        Assert.Equal($"Bearer {TestPipelines.GitHubToken}", KeyedStubs.HeaderOf(calls[0], "Authorization"));
        Assert.Equal(FakeCi.GitHubCancelPath(4105), FakeCi.PathOf(calls[1]));
    }

    [Fact]
    public async Task A_run_started_by_a_server_that_answered_204_is_found_by_key_through_that_servers_api()
    {
        var step = TestPipelines.NewStep();
        Api.Answer("GET", "/api/v3" + FakeCi.GitHubRunsPath, step.CompensationKey,
            FakeCi.GitHubRuns((4107, $"Publish {step.IdempotencyKey}", "queued")));
        Api.Answer("POST", "/api/v3" + FakeCi.GitHubCancelPath(4107), step.CompensationKey, new ApiReply(202, "{}"));

        await Probe.SendAsync(Queue, new CancelPipeline(step, TestPipelines.GitHubEnterprise, "github:example/website:unknown"));

        Assert.Equal("workflow run 4107 of example/website cancelled (found by the step's key)", (await Probe.Compensated(step)).Outcome);
        Assert.Equal(2, Api.CallsWith(step.CompensationKey).Count);
    }

    [Fact]
    public async Task No_run_showing_the_key_is_nothing_to_undo_and_cancels_nothing()
    {
        var step = TestPipelines.NewStep();
        Api.Answer("GET", FakeCi.GitHubRunsPath, step.CompensationKey, FakeCi.GitHubRuns((4108, "Publish by hand", "queued")));

        await Probe.SendAsync(Queue, new CancelPipeline(step, TestPipelines.GitHub, RunReference: null));

        Assert.Equal(CompensationConsumer<CancelPipeline>.NothingToUndo, (await Probe.Compensated(step)).Outcome);
        Assert.Equal("GET", Assert.Single(Api.CallsWith(step.CompensationKey)).Method);
    }

    [Fact]
    public async Task A_workflow_without_a_key_input_cannot_be_searched_so_an_unknown_run_is_nothing_to_undo()
    {
        var step = TestPipelines.NewStep();

        await Probe.SendAsync(Queue, new CancelPipeline(step, TestPipelines.GitHubWithoutKey, RunReference: null));

        Assert.Equal(CompensationConsumer<CancelPipeline>.NothingToUndo, (await Probe.Compensated(step)).Outcome);
        Assert.Empty(Api.CallsWith(step.CompensationKey));
    }

    [Fact]
    public async Task The_same_compensation_sent_twice_cancels_once_and_answers_twice()
    {
        var step = TestPipelines.NewStep();
        Api.Answer("POST", FakeCi.GitHubCancelPath(4109), step.CompensationKey, new ApiReply(202, "{}"));
        var command = new CancelPipeline(step, TestPipelines.GitHub, "github:example/website:4109");

        await Probe.SendAsync(Queue, command);
        await Probe.Compensated(step);
        await Probe.SendAsync(Queue, command);

        await Eventually.Until(() => Probe.Received<StepCompensated>().Count(message => message.Step == step) == 2,
            "both compensations are answered");
        Assert.All(Probe.Received<StepCompensated>().Where(message => message.Step == step),
            message => Assert.Equal("workflow run 4109 of example/website cancelled", message.Outcome));
        Assert.Single(Api.CallsWith(step.CompensationKey));
    }

    [Theory]
    [InlineData("gitlab:example/docs:257", "is not a GitHub run")]
    [InlineData("jenkins:job:12", "is not a pipeline run reference of CiTrigger")]
    [InlineData("github:example/website:latest", "'latest' is not a run id")]
    public async Task A_reference_that_is_not_a_run_of_the_pipelines_provider_faults_and_calls_nothing(string reference, string reason)
    {
        var step = TestPipelines.NewStep();

        await Probe.SendAsync(Queue, new CancelPipeline(step, TestPipelines.GitHub, reference));

        var fault = await Probe.Faulted<CancelPipeline>(step);
        Assert.Contains(reason, Assert.Single(fault.Exceptions).Message, StringComparison.Ordinal);
        Assert.Empty(Api.CallsWith(step.CompensationKey));
    }

    [Fact]
    public async Task A_refused_cancellation_faults_with_githubs_reason()
    {
        var step = TestPipelines.NewStep();
        Api.Answer("POST", FakeCi.GitHubCancelPath(4110), step.CompensationKey,
            FakeCi.GitHubError(403, "Resource not accessible by personal access token"));

        await Probe.SendAsync(Queue, new CancelPipeline(step, TestPipelines.GitHub, "github:example/website:4110"));

        var fault = await Probe.Faulted<CancelPipeline>(step);
        Assert.Contains("GitHub workflow run cancellation: 403", Assert.Single(fault.Exceptions).Message, StringComparison.Ordinal);
        Assert.Single(Api.CallsWith(step.CompensationKey));
    }
}
