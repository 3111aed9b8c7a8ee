using Automation.EndToEnd.Tests.Infrastructure;
using Automation.Orchestrator.Runs;
using static Automation.EndToEnd.Tests.Infrastructure.AutomationSystem;

namespace Automation.EndToEnd.Tests;

/// <summary>The system with a step timeout of <see cref="StepTimeoutValue"/>, shorter than the connectors' patience with an
/// external call (<see cref="CallTimeoutValue"/>): a system that takes longer to answer than the run waits.</summary>
public sealed class SystemWithShortStepTimeout : AutomationSystem
{
    public static readonly TimeSpan StepTimeoutValue = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan CallTimeoutValue = TimeSpan.FromSeconds(15);

    /// <summary>How long the hanging CI takes to answer: well after the step timed out, well before the call would.</summary>
    public static readonly TimeSpan CiAnswersAfter = TimeSpan.FromSeconds(6);

    protected override TimeSpan StepTimeout => StepTimeoutValue;

    protected override TimeSpan CallTimeout => CallTimeoutValue;

    /// <summary>Every step and compensation the tests expect in time gets its first (slow: compiling, connecting) run here:
    /// a content run whose pipeline is refused, so its note is deleted and ops are mailed.</summary>
    protected override async Task WarmUpAsync()
    {
        var eventId = Webhooks.NewEventId();
        var (note, pipeline) = (KeyOf(eventId, ContentPublished, 1), KeyOf(eventId, ContentPublished, 2));
        HubSpot.AnswersActivity(note, "5000", "8000");
        HubSpot.AnswersNoteDeletion($"{note}:compensate", "8000");
        Ci.Answer("POST", FakeCi.GitHubDispatchPath, pipeline, FakeCi.GitHubError(422, "No ref found for: main"));
        Ci.Answer("GET", FakeCi.GitHubRunsPath, $"{pipeline}:compensate", FakeCi.GitHubRuns());
        await Webhooks.AcceptedAsync(eventId, EventData.ContentStateChanged, EventData.Content());
        await Eventually.Until(async () => (await Runs.Of(eventId)).SingleOrDefault()?.FinishedAt is not null, "the warm-up run finished",
            TimeSpan.FromSeconds(60));
    }
}

/// <summary>An external system that hangs: the run gives up on the step through the Orchestrator's durable scheduler, takes
/// its outcome as unknown and compensates (the step too, by its key); the success that arrives afterwards is undone too.</summary>
public sealed class HangingSystemTests(SystemWithShortStepTimeout system) : IClassFixture<SystemWithShortStepTimeout>
{
    private const string Rule = Infrastructure.AutomationSystem.ContentPublished;

    [Fact]
    public async Task When_CI_hangs_the_step_times_out_the_run_compensates_and_the_pipeline_it_started_after_all_is_cancelled()
    {
        var eventId = Webhooks.NewEventId();
        var (note, pipeline) = (KeyOf(eventId, Rule, 1), KeyOf(eventId, Rule, 2));
        AnswerActivityAndItsUndo(note, "8101");
        system.Ci.Answer("POST", FakeCi.GitHubDispatchPath, pipeline, FakeCi.RunDetails(9301) with { Delay = SystemWithShortStepTimeout.CiAnswersAfter });
        // While the dispatch hangs, GitHub lists no run for the key yet.
        system.Ci.Answer("GET", FakeCi.GitHubRunsPath, $"{pipeline}:compensate", FakeCi.GitHubRuns());
        system.Ci.Answer("POST", FakeCi.GitHubCancelPath(9301), $"{pipeline}:compensate", new ApiReply(202, "{}"));

        await system.Webhooks.AcceptedAsync(eventId, EventData.ContentStateChanged, EventData.Content());

        var run = await WaitForStep(eventId, 2, step => step.CompensationOutcome?.Contains("cancelled", StringComparison.Ordinal) == true,
            "the pipeline run that started late was cancelled");
        Assert.Equal("Compensated", run.CurrentState);
        Assert.Equal(2, run.FailedStep);
        Assert.Equal($"step 2 (ci.trigger_pipeline) timed out after {SystemWithShortStepTimeout.StepTimeoutValue}: outcome unknown", run.Failure);
        Assert.Contains(await system.Runs.TimeoutsOf(run.CorrelationId), timeout => timeout.DeliveredAt is not null);
        var step = run.StepAt(2)!;
        Assert.Equal((StepStatus.Succeeded, true, "github:example/website:9301", 2, "workflow run 9301 of example/website cancelled"),
            (step.Status, step.Late, step.ExternalReference, step.CompensationsSent, step.CompensationOutcome));
        Assert.Equal("note 8101 deleted", run.StepAt(1)!.CompensationOutcome);
        // First looked up by key (nothing yet), then cancelled by the id the late answer gave.
        Assert.Equal([("GET", FakeCi.GitHubRunsPath), ("POST", FakeCi.GitHubCancelPath(9301))],
            system.Ci.CallsWith($"{pipeline}:compensate").Select(call => (call.Method, call.Path)));
        Assert.Single(system.Ci.CallsWith(pipeline));
        Assert.Empty(system.Slack.CallsWith(KeyOf(eventId, Rule, 3)));
    }

    [Fact]
    public async Task When_CI_hangs_after_starting_the_pipeline_its_run_is_found_by_the_steps_key_and_cancelled_once()
    {
        var eventId = Webhooks.NewEventId();
        var (note, pipeline) = (KeyOf(eventId, Rule, 1), KeyOf(eventId, Rule, 2));
        AnswerActivityAndItsUndo(note, "8201");
        system.Ci.Answer("POST", FakeCi.GitHubDispatchPath, pipeline, FakeCi.RunDetails(9302) with { Delay = SystemWithShortStepTimeout.CiAnswersAfter });
        // GitHub started the run before answering: its title (the workflow's run-name) shows the step's key.
        system.Ci.Answer("GET", FakeCi.GitHubRunsPath, $"{pipeline}:compensate", FakeCi.GitHubRuns((9302, $"Publish {pipeline}", "queued")));
        system.Ci.Answer("POST", FakeCi.GitHubCancelPath(9302), $"{pipeline}:compensate", new ApiReply(202, "{}"));

        await system.Webhooks.AcceptedAsync(eventId, EventData.ContentStateChanged, EventData.Content());

        var run = await WaitForStep(eventId, 2, step => step is { Late: true, CompensationsSent: 2, Compensation: CompensationStatus.Compensated },
            "the late success was compensated again");
        Assert.Equal("Compensated", run.CurrentState);
        Assert.Equal("workflow run 9302 of example/website cancelled (found by the step's key)", run.StepAt(2)!.CompensationOutcome);
        Assert.Equal("note 8201 deleted", run.StepAt(1)!.CompensationOutcome);
        // The second compensation, naming the run, found it already cancelled by this key: no second cancel.
        Assert.Single(system.Ci.CallsWith($"{pipeline}:compensate"), call => call.Method == "POST");
    }

    private void AnswerActivityAndItsUndo(string key, string noteId)
    {
        system.HubSpot.AnswersActivity(key, "5001", noteId);
        system.HubSpot.AnswersNoteDeletion($"{key}:compensate", noteId);
    }

    private async Task<RunState> WaitForStep(string eventId, int number, Func<StepRecord, bool> condition, string because)
    {
        RunState? run = null;
        await Eventually.Until(async () =>
        {
            run = (await system.Runs.Of(eventId)).SingleOrDefault(candidate => candidate.Rule == Rule);
            return run?.StepAt(number) is { } step && condition(step);
        }, because);
        return run!;
    }
}
