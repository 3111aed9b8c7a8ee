using System.Diagnostics;
using Automation.CiTrigger.Tests.Infrastructure;
using Automation.Contracts;
using Automation.Testing;

namespace Automation.CiTrigger.Tests;

/// <summary><c>ci.trigger_pipeline</c> against GitHub Actions (a real HTTP server answering as GitHub documents), over a
/// real RabbitMQ and PostgreSQL.</summary>
public sealed class GitHubTriggerTests(CiTriggerWithFakeCi ci) : IClassFixture<CiTriggerWithFakeCi>
{
    private const string Queue = StepCommandQueues.TriggerPipeline;

    private FakeCi Api => ci.Ci;

    private StepProbe Probe => ci.Service.Probe;

    [Fact]
    public async Task Dispatches_the_workflow_as_GitHub_documents_and_answers_with_the_run()
    {
        var step = TestPipelines.NewStep();
        Api.Answer("POST", FakeCi.GitHubDispatchPath, step.IdempotencyKey, FakeCi.RunDetails(30433642));

        await Probe.SendAsync(Queue, new TriggerPipeline(step, TestPipelines.GitHub,
            new Dictionary<string, string> { ["title"] = "Hello \"world\"", ["url"] = "https://example.com/a?b=c&d" }));

        var succeeded = await Probe.Succeeded(step);
        Assert.Equal("github:example/website:30433642", succeeded.ExternalReference);
        Assert.Equal(1, succeeded.Attempts);
        var call = Assert.Single(Api.CallsWith(step.IdempotencyKey));
        Assert.Equal("POST", call.Method);
        Assert.Equal(FakeCi.GitHubDispatchPath, FakeCi.PathOf(call));
        Assert.Equal("application/vnd.github+json", KeyedStubs.HeaderOf(call, "Accept"));
        Assert.Equal($"Bearer {TestPipelines.GitHubToken}", KeyedStubs.HeaderOf(call, "Authorization"));
        Assert.Equal("2022-11-28", KeyedStubs.HeaderOf(call, "X-GitHub-Api-Version"));
        Assert.False(string.IsNullOrEmpty(KeyedStubs.HeaderOf(call, "User-Agent")));
        Assert.StartsWith("application/json", KeyedStubs.HeaderOf(call, "Content-Type"), StringComparison.Ordinal);
        KeyedStubs.AssertJson($$$"""
            {"ref":"main","return_run_details":true,
             "inputs":{"title":"Hello \"world\"","url":"https://example.com/a?b=c&d","idempotency_key":"{{{step.IdempotencyKey}}}"}}
            """, call.Body);
    }

    [Fact]
    public async Task Without_a_key_input_or_variables_the_dispatch_sends_only_the_ref()
    {
        var step = TestPipelines.NewStep();
        const string path = "/repos/example/website/actions/workflows/docs.yml/dispatches";
        Api.Answer("POST", path, step.IdempotencyKey, FakeCi.RunDetails(30433643));

        await Probe.SendAsync(Queue, new TriggerPipeline(step, TestPipelines.GitHubWithoutKey, TestPipelines.NoVariables));

        Assert.Equal("github:example/website:30433643", (await Probe.Succeeded(step)).ExternalReference);
        KeyedStubs.AssertJson("""{"ref":"main","return_run_details":true}""", Assert.Single(Api.CallsWith(step.IdempotencyKey)).Body);
    }

    [Fact]
    public async Task A_server_that_answers_204_starts_the_run_without_telling_its_id()
    {
        var step = TestPipelines.NewStep();
        Api.Answer("POST", "/api/v3" + FakeCi.GitHubDispatchPath, step.IdempotencyKey, new ApiReply(204));

        await Probe.SendAsync(Queue, new TriggerPipeline(step, TestPipelines.GitHubEnterprise, TestPipelines.NoVariables));

        Assert.Equal("github:example/website:unknown", (await Probe.Succeeded(step)).ExternalReference);
        var call = Assert.Single(Api.CallsWith(step.IdempotencyKey));
        KeyedStubs.AssertJson($$$"""{"ref":"release","inputs":{"idempotency_key":"{{{step.IdempotencyKey}}}"}}""", call.Body);
    }

    [Fact]
    public async Task The_same_command_delivered_twice_or_resent_under_another_message_id_dispatches_once()
    {
        var step = TestPipelines.NewStep();
        Api.Answer("POST", FakeCi.GitHubDispatchPath, step.IdempotencyKey, FakeCi.RunDetails(30433644));
        var command = new TriggerPipeline(step, TestPipelines.GitHub, TestPipelines.NoVariables);
        var messageId = Guid.NewGuid();

        await Probe.SendAsync(Queue, command, messageId);
        await Probe.SendAsync(Queue, command, messageId);
        await Probe.Succeeded(step);
        // The orchestrator resends a step only after its timeout: by then the first outcome is stored.
        await Probe.SendAsync(Queue, command);

        await Eventually.Until(() => Probe.Received<StepSucceeded>().Count(message => message.Step == step) == 2,
            "the first delivery and the resent command are answered (the duplicate delivery is dropped by the inbox)");
        Assert.All(Probe.Received<StepSucceeded>().Where(message => message.Step == step),
            message => Assert.Equal("github:example/website:30433644", message.ExternalReference));
        Assert.Single(Api.CallsWith(step.IdempotencyKey));
    }

    [Fact]
    public async Task The_same_step_sent_twice_at_once_under_two_message_ids_dispatches_once()
    {
        var step = TestPipelines.NewStep();
        Api.Answer("POST", FakeCi.GitHubDispatchPath, step.IdempotencyKey, FakeCi.RunDetails(30433646));
        var command = new TriggerPipeline(step, TestPipelines.GitHub, TestPipelines.NoVariables);

        await Task.WhenAll(Probe.SendAsync(Queue, command), Probe.SendAsync(Queue, command));

        await Eventually.Until(() => Probe.Received<StepSucceeded>().Count(message => message.Step == step) == 2,
            "both messages are answered");
        Assert.Single(Api.CallsWith(step.IdempotencyKey));
    }

    [Fact]
    public async Task Two_unavailable_answers_then_success_succeed_after_retries()
    {
        var step = TestPipelines.NewStep();
        Api.Answer("POST", FakeCi.GitHubDispatchPath, step.IdempotencyKey,
            FakeCi.GitHubError(503, "Service Unavailable"), FakeCi.GitHubError(503, "Service Unavailable"), FakeCi.RunDetails(30433645));

        await Probe.SendAsync(Queue, new TriggerPipeline(step, TestPipelines.GitHub, TestPipelines.NoVariables));

        var succeeded = await Probe.Succeeded(step);
        Assert.Equal("github:example/website:30433645", succeeded.ExternalReference);
        Assert.Equal(3, succeeded.Attempts);
        Assert.Equal(3, Api.CallsWith(step.IdempotencyKey).Count);
    }

    [Fact]
    public async Task An_undeclared_input_refused_with_422_faults_at_once_into_the_error_queue_after_one_call()
    {
        var step = TestPipelines.NewStep();
        Api.Answer("POST", FakeCi.GitHubDispatchPath, step.IdempotencyKey,
            FakeCi.GitHubError(422, "Unexpected inputs provided: [\\\"idempotency_key\\\"]"));
        var errorsBefore = await ci.Service.VirtualHost.MessageCount($"{Queue}_error");

        await Probe.SendAsync(Queue, new TriggerPipeline(step, TestPipelines.GitHub, TestPipelines.NoVariables));

        var fault = await Probe.Faulted<TriggerPipeline>(step);
        var reason = Assert.Single(fault.Exceptions).Message;
        Assert.Contains("GitHub workflow dispatch: 422", reason, StringComparison.Ordinal);
        Assert.Contains("Unexpected inputs provided", reason, StringComparison.Ordinal);
        // At least one more: an earlier test's faulted command may still be arriving there.
        await Eventually.Until(async () => await ci.Service.VirtualHost.MessageCount($"{Queue}_error") >= errorsBefore + 1,
            "the command is in the error queue");
        Assert.Single(Api.CallsWith(step.IdempotencyKey));
        Assert.DoesNotContain(Probe.Received<StepSucceeded>(), message => message.Step == step);
    }

    [Fact]
    public async Task A_429_is_retried_no_sooner_than_its_Retry_After()
    {
        var step = TestPipelines.NewStep();
        Api.Answer("POST", FakeCi.GitHubDispatchPath, step.IdempotencyKey,
            FakeCi.GitHubError(429, "API rate limit exceeded", retryAfter: "1"), FakeCi.RunDetails(30433646));

        await Probe.SendAsync(Queue, new TriggerPipeline(step, TestPipelines.GitHub, TestPipelines.NoVariables));

        Assert.Equal("github:example/website:30433646", (await Probe.Succeeded(step)).ExternalReference);
        var calls = Api.CallsWith(step.IdempotencyKey);
        Assert.Equal(2, calls.Count);
        // The configured redelivery interval is 200 ms; GitHub asked for 1 s.
        Assert.True(calls[1].DateTime - calls[0].DateTime >= TimeSpan.FromSeconds(0.95),
            $"the retry came {(calls[1].DateTime - calls[0].DateTime).TotalMilliseconds} ms after the 429");
    }

    [Fact]
    public async Task A_hanging_API_times_out_each_call_and_the_step_faults_after_its_retries()
    {
        var step = TestPipelines.NewStep();
        Api.Answer("POST", FakeCi.GitHubDispatchPath, step.IdempotencyKey,
            FakeCi.RunDetails(30433647) with { Delay = CiTriggerService.CallTimeout * 3 });
        var clock = Stopwatch.StartNew();

        await Probe.SendAsync(Queue, new TriggerPipeline(step, TestPipelines.GitHub, TestPipelines.NoVariables));

        var fault = await Probe.Faulted<TriggerPipeline>(step);
        Assert.Contains("no answer within 1.5 s", Assert.Single(fault.Exceptions).Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the step took {clock.Elapsed} to fault");
        // WireMock records a call once it has answered, 4.5 s after it came.
        await Eventually.Until(() => Api.CallsWith(step.IdempotencyKey).Count == CiTriggerService.CallsUntilFault,
            $"the {CiTriggerService.CallsUntilFault} calls of the step's deliveries are recorded");
    }

    [Fact]
    public async Task A_malformed_answer_is_a_permanent_failure_after_one_call()
    {
        var step = TestPipelines.NewStep();
        Api.Answer("POST", FakeCi.GitHubDispatchPath, step.IdempotencyKey,
            new ApiReply(200, Html: "<html><body>Service temporarily rerouted</body></html>"));

        await Probe.SendAsync(Queue, new TriggerPipeline(step, TestPipelines.GitHub, TestPipelines.NoVariables));

        var fault = await Probe.Faulted<TriggerPipeline>(step);
        Assert.Contains("GitHub workflow dispatch: the answer was not the expected JSON", Assert.Single(fault.Exceptions).Message,
            StringComparison.Ordinal);
        Assert.Single(Api.CallsWith(step.IdempotencyKey));
    }

    [Fact]
    public async Task A_run_details_answer_without_a_run_id_is_a_permanent_failure()
    {
        var step = TestPipelines.NewStep();
        Api.Answer("POST", FakeCi.GitHubDispatchPath, step.IdempotencyKey, new ApiReply(200, Json: """{"html_url":null}"""));

        await Probe.SendAsync(Queue, new TriggerPipeline(step, TestPipelines.GitHub, TestPipelines.NoVariables));

        var fault = await Probe.Faulted<TriggerPipeline>(step);
        Assert.Contains("the answer had no workflow_run_id", Assert.Single(fault.Exceptions).Message, StringComparison.Ordinal);
        Assert.Single(Api.CallsWith(step.IdempotencyKey));
    }

    [Theory]
    [InlineData("nightly-release", "pipeline 'nightly-release' is not configured: CiTrigger has no CiTrigger:Pipelines:nightly-release")]
    [InlineData(" ", "the command names no pipeline")]
    public async Task A_pipeline_missing_from_the_configuration_faults_at_once_naming_it_and_calls_nothing(string pipeline, string reason)
    {
        var step = TestPipelines.NewStep();

        await Probe.SendAsync(Queue, new TriggerPipeline(step, pipeline, TestPipelines.NoVariables));

        var fault = await Probe.Faulted<TriggerPipeline>(step);
        Assert.Contains(reason, Assert.Single(fault.Exceptions).Message, StringComparison.Ordinal);
        Assert.Empty(Api.CallsWith(step.IdempotencyKey));
    }
}
