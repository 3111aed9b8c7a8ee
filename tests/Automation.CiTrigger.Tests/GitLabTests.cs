using Automation.CiTrigger.Tests.Infrastructure;
using Automation.Connectors;
using Automation.Contracts;
using Automation.Testing;
using Microsoft.AspNetCore.WebUtilities;

namespace Automation.CiTrigger.Tests;

/// <summary><c>ci.trigger_pipeline</c> and its compensation on GitLab (a real HTTP server answering as GitLab documents):
/// the trigger token starts the pipeline, the <c>api</c>-scoped token cancels and finds it.</summary>
public sealed class GitLabTests(CiTriggerWithFakeCi ci) : IClassFixture<CiTriggerWithFakeCi>
{
    private FakeCi Api => ci.Ci;

    private StepProbe Probe => ci.Service.Probe;

    [Fact]
    public async Task Triggers_the_pipeline_with_the_trigger_token_ref_and_variables_as_form_fields_and_answers_with_the_pipeline()
    {
        var step = TestPipelines.NewStep();
        Api.Answer("POST", FakeCi.GitLabTriggerPath, step.IdempotencyKey, FakeCi.GitLabPipeline(201, 257, "created"));

        await Probe.SendAsync(StepCommandQueues.TriggerPipeline, new TriggerPipeline(step, TestPipelines.GitLab,
            new Dictionary<string, string> { ["CONTENT_ID"] = "cnt_42", ["TITLE"] = "Tom & Jerry = 100%" }));

        Assert.Equal("gitlab:example/docs:257", (await Probe.Succeeded(step)).ExternalReference);
        var call = Assert.Single(Api.CallsWith(step.IdempotencyKey));
        Assert.Equal("POST", call.Method);
        Assert.Equal(FakeCi.GitLabTriggerPath, FakeCi.PathOf(call));
        Assert.Empty(call.Query ?? new Dictionary<string, WireMock.Types.WireMockList<string>>());
        Assert.StartsWith("application/x-www-form-urlencoded", KeyedStubs.HeaderOf(call, "Content-Type"), StringComparison.Ordinal);
        Assert.Null(KeyedStubs.HeaderOf(call, "PRIVATE-TOKEN"));
        var form = QueryHelpers.ParseQuery(call.Body);
        Assert.Equal(new Dictionary<string, string>
        {
            ["token"] = TestPipelines.GitLabTriggerToken,
            ["ref"] = "main",
            ["variables[CONTENT_ID]"] = "cnt_42",
            ["variables[TITLE]"] = "Tom & Jerry = 100%",
            ["variables[AUTOMATION_IDEMPOTENCY_KEY]"] = step.IdempotencyKey,
        }, form.ToDictionary(field => field.Key, field => field.Value.ToString()));
    }

    [Fact]
    public async Task The_same_trigger_delivered_twice_starts_one_pipeline()
    {
        var step = TestPipelines.NewStep();
        Api.Answer("POST", FakeCi.GitLabTriggerPath, step.IdempotencyKey, FakeCi.GitLabPipeline(201, 258, "created"));
        var command = new TriggerPipeline(step, TestPipelines.GitLab, TestPipelines.NoVariables);
        var messageId = Guid.NewGuid();

        await Probe.SendAsync(StepCommandQueues.TriggerPipeline, command, messageId);
        await Probe.SendAsync(StepCommandQueues.TriggerPipeline, command, messageId);
        await Probe.Succeeded(step);
        // The orchestrator resends a step only after its timeout: by then the first outcome is stored.
        await Probe.SendAsync(StepCommandQueues.TriggerPipeline, command);

        await Eventually.Until(() => Probe.Received<StepSucceeded>().Count(message => message.Step == step) == 2,
            "the delivery and the resent command are answered");
        Assert.Single(Api.CallsWith(step.IdempotencyKey));
    }

    [Theory]
    [InlineData(404, """{"message":"404 Not Found"}""")]
    [InlineData(400, """{"message":{"base":["Reference not found"]}}""")]
    public async Task A_refused_trigger_faults_at_once_after_one_call(int status, string body)
    {
        var step = TestPipelines.NewStep();
        Api.Answer("POST", FakeCi.GitLabTriggerPath, step.IdempotencyKey, new ApiReply(status, body));

        await Probe.SendAsync(StepCommandQueues.TriggerPipeline, new TriggerPipeline(step, TestPipelines.GitLab, TestPipelines.NoVariables));

        var fault = await Probe.Faulted<TriggerPipeline>(step);
        Assert.Contains($"GitLab pipeline trigger: {status}", Assert.Single(fault.Exceptions).Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TestPipelines.GitLabTriggerToken, fault.Exceptions[0].Message, StringComparison.Ordinal);
        Assert.Single(Api.CallsWith(step.IdempotencyKey));
    }

    [Fact]
    public async Task Cancels_the_pipeline_with_the_api_token()
    {
        var step = TestPipelines.NewStep();
        Api.Answer("POST", FakeCi.GitLabCancelPath(259), step.CompensationKey, FakeCi.GitLabPipeline(200, 259, "canceled"));

        await Probe.SendAsync(StepCommandQueues.CancelPipeline, new CancelPipeline(step, TestPipelines.GitLab, "gitlab:example/docs:259"));

        Assert.Equal("pipeline 259 of example/docs cancelled", (await Probe.Compensated(step)).Outcome);
        var call = Assert.Single(Api.CallsWith(step.CompensationKey));
        Assert.Equal("POST", call.Method);
        Assert.Equal(FakeCi.GitLabCancelPath(259), FakeCi.PathOf(call));
        Assert.Equal(TestPipelines.GitLabApiToken, KeyedStubs.HeaderOf(call, "PRIVATE-TOKEN"));
    }

    [Fact]
    public async Task A_pipeline_that_had_already_finished_is_compensated_not_failed()
    {
        var step = TestPipelines.NewStep();
        Api.Answer("POST", FakeCi.GitLabCancelPath(260), step.CompensationKey, FakeCi.GitLabPipeline(200, 260, "success"));

        await Probe.SendAsync(StepCommandQueues.CancelPipeline, new CancelPipeline(step, TestPipelines.GitLab, "gitlab:example/docs:260"));

        Assert.Equal("pipeline 260 of example/docs had already finished (success): nothing to cancel", (await Probe.Compensated(step)).Outcome);
    }

    [Fact]
    public async Task Without_a_reference_it_finds_the_pipeline_by_its_key_variable_and_cancels_it()
    {
        var step = TestPipelines.NewStep();
        var other = TestPipelines.NewStep();
        Api.Answer("GET", FakeCi.GitLabPipelinesPath, step.CompensationKey,
            FakeCi.GitLabPipelines((263, "running"), (262, "success"), (261, "pending")));
        Api.Answer("GET", FakeCi.GitLabVariablesPath(263), step.CompensationKey,
            FakeCi.GitLabVariables(("AUTOMATION_IDEMPOTENCY_KEY", other.IdempotencyKey)));
        Api.Answer("GET", FakeCi.GitLabVariablesPath(261), step.CompensationKey,
            FakeCi.GitLabVariables(("CONTENT_ID", "cnt_42"), ("AUTOMATION_IDEMPOTENCY_KEY", step.IdempotencyKey)));
        Api.Answer("POST", FakeCi.GitLabCancelPath(261), step.CompensationKey, FakeCi.GitLabPipeline(200, 261, "canceled"));

        await Probe.SendAsync(StepCommandQueues.CancelPipeline, new CancelPipeline(step, TestPipelines.GitLab, RunReference: null));

        Assert.Equal("pipeline 261 of example/docs cancelled (found by the step's key)", (await Probe.Compensated(step)).Outcome);
        var calls = Api.CallsWith(step.CompensationKey);
        Assert.Equal(
            [FakeCi.GitLabPipelinesPath, FakeCi.GitLabVariablesPath(263), FakeCi.GitLabVariablesPath(261), FakeCi.GitLabCancelPath(261)],
            calls.Select(FakeCi.PathOf));
        Assert.All(calls, call => Assert.Equal(TestPipelines.GitLabApiToken, KeyedStubs.HeaderOf(call, "PRIVATE-TOKEN")));
        var list = calls[0].Query!;
        Assert.Equal(("trigger", "main", "id", "desc", "20"),
            (list["source"].Single(), list["ref"].Single(), list["order_by"].Single(), list["sort"].Single(), list["per_page"].Single()));
    }

    [Fact]
    public async Task No_pipeline_with_the_key_is_nothing_to_undo()
    {
        var step = TestPipelines.NewStep();
        Api.Answer("GET", FakeCi.GitLabPipelinesPath, step.CompensationKey, FakeCi.GitLabPipelines());

        await Probe.SendAsync(StepCommandQueues.CancelPipeline, new CancelPipeline(step, TestPipelines.GitLab, RunReference: null));

        Assert.Equal(CompensationConsumer<CancelPipeline>.NothingToUndo, (await Probe.Compensated(step)).Outcome);
        Assert.Single(Api.CallsWith(step.CompensationKey));
    }
}
