using Automation.Contracts;
using Automation.Orchestrator.Runs;
using Automation.Orchestrator.Tests.Connectors;
using Automation.Testing;

namespace Automation.Orchestrator.Tests.Service;

public sealed class ShortStepTimeoutService : OrchestratorService
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    protected override TimeSpan StepTimeout => Timeout;
}

/// <summary>A step that never answers times out through the Orchestrator's own durable scheduler (PostgreSQL), is
/// compensated as "outcome unknown", and its success arriving later is compensated too.</summary>
public sealed class StepTimeoutTests(ShortStepTimeoutService service) : IClassFixture<ShortStepTimeoutService>
{
    private const string Rule = "content-published";

    [Fact]
    public async Task A_step_that_never_answers_times_out_through_the_durable_scheduler_and_its_late_success_is_undone()
    {
        var eventId = TestEvents.NewEventId();
        service.Connectors.Script.On(eventId, 2, ScriptedAnswer.Silent);

        await service.Publish(TestEvents.Content(eventId));

        var run = await CompensatedAfterTimeoutOf(eventId, step: 2);
        Assert.Null(Assert.Single(service.Connectors.Script.For(eventId).OfType<CancelPipeline>()).RunReference);
        Assert.Equal($"ref-{Rule}-1", Assert.Single(service.Connectors.Script.For(eventId).OfType<DeleteCrmNote>()).NoteId);

        // The CI system did start the pipeline; its answer comes after the run finished compensating.
        await service.Connectors.Bus.Publish(new StepSucceeded(run.IdentityOf(2), "pipeline-run-42", 1, DateTimeOffset.UtcNow),
            TestContext.Current.CancellationToken);

        await Eventually.Until(() => service.Connectors.Script.For(eventId).OfType<CancelPipeline>().Count() == 2, "the late success was undone");
        Assert.Equal("pipeline-run-42", service.Connectors.Script.For(eventId).OfType<CancelPipeline>().Last().RunReference);
        run = await service.WaitForRun(eventId, Rule, "Compensated");
        await Eventually.Until(async () => (await service.RunsOf(eventId)).Single().StepAt(2)!.CompensationOutcome == "undone pipeline-run-42",
            "the second compensation was recorded");
        var step = (await service.RunsOf(eventId)).Single().StepAt(2)!;
        Assert.Equal((StepStatus.Succeeded, true, "pipeline-run-42", 2), (step.Status, step.Late, step.ExternalReference, step.CompensationsSent));
    }

    /// <summary>The first step's timeout is scheduled where the run is opened, by the event's consumer, not by the state
    /// machine: it must reach the run all the same, and the step after a first step that answers must not be cut short
    /// by it.</summary>
    [Fact]
    public async Task A_first_step_that_never_answers_times_out_as_any_other_and_one_that_answers_leaves_no_timeout_behind()
    {
        var silentEventId = TestEvents.NewEventId();
        var answeredEventId = TestEvents.NewEventId();
        service.Connectors.Script.On(silentEventId, 1, ScriptedAnswer.Silent);

        await service.Publish(TestEvents.Content(silentEventId));
        await service.Publish(TestEvents.Content(answeredEventId));

        await CompensatedAfterTimeoutOf(silentEventId, step: 1);
        Assert.Null(Assert.Single(service.Connectors.Script.For(silentEventId).OfType<DeleteCrmNote>()).NoteId);

        var answered = await service.WaitForRun(answeredEventId, Rule, "Completed", TimeSpan.FromSeconds(60));
        Assert.All(answered.Steps, done => Assert.Equal(StepStatus.Succeeded, done.Status));
        var timeouts = await service.TimeoutsOf(answered.CorrelationId);
        Assert.NotEmpty(timeouts);
        Assert.All(timeouts, timeout => Assert.Equal((true, false), (timeout.CancelledAt is not null, timeout.DeliveredAt is not null)));
    }

    /// <summary>The event's run once compensated, after its step <paramref name="step"/> went unanswered: the step's outcome
    /// unknown no sooner than the timeout, its timeout delivered by the scheduler, the failure notice sent.</summary>
    private async Task<RunState> CompensatedAfterTimeoutOf(string eventId, int step)
    {
        var run = await service.WaitForRun(eventId, Rule, "Compensated", TimeSpan.FromSeconds(60));
        var silent = run.StepAt(step)!;
        Assert.Equal(StepStatus.Unknown, silent.Status);
        Assert.True(silent.FinishedAt - silent.StartedAt >= ShortStepTimeoutService.Timeout,
            $"timed out {silent.FinishedAt - silent.StartedAt} after the step started, before {ShortStepTimeoutService.Timeout}");
        Assert.Contains(await service.TimeoutsOf(run.CorrelationId), timeout => timeout.DeliveredAt is not null);
        await Eventually.Until(() => service.Connectors.Script.For(eventId).OfType<SendNotification>().Any(notice => notice.Step.Step == 0),
            "the failure notice was sent");
        return run;
    }
}
