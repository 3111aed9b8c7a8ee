using Automation.Contracts;
using Automation.Orchestrator.Runs;

namespace Automation.Orchestrator.Tests.Runs;

/// <summary>The bookkeeping behind the transitions, where timing makes a case hard to arrange on a bus.</summary>
public sealed class RunStateProgressTests
{
    [Fact]
    public void A_late_success_while_its_compensation_is_in_flight_is_compensated_again_naming_the_effect_once_that_one_answers()
    {
        var run = Started(Plans.LogActivity(1), Plans.Trigger(2));
        Succeed(run);
        run.RecordUnknown(TimeSpan.FromMinutes(5), DateTime.UtcNow);
        run.CompensateNext();
        Assert.Equal(2, run.CompensatingStep);

        Assert.False(run.RecordLateOutcome(new StepSucceeded(run.IdentityOf(2), "run-7", 1, DateTimeOffset.UtcNow)),
            "a second compensation went while the first was in flight");
        run.RecordCompensated(new StepCompensated(run.IdentityOf(2), "nothing to undo", DateTimeOffset.UtcNow));
        var again = run.TakeRepeatedCompensation(2);

        Assert.NotNull(again);
        Assert.Equal(CompensationStatus.Compensating, again.Compensation);
        Assert.Equal(2, again.CompensationsSent);
        Assert.Equal("run-7", Assert.IsType<CancelPipeline>(StepCommands.Undo(run, again).Command).RunReference);
        Assert.Null(run.TakeRepeatedCompensation(2));
        run.CompensateNext();
        Assert.Equal(1, run.CompensatingStep);
    }

    [Fact]
    public void The_reverse_walk_starts_at_the_failed_step_skips_steps_that_did_nothing_and_records_those_that_cannot_be_undone()
    {
        var run = Started(Plans.Upsert(1), Plans.Notify(2), Plans.LogActivity(3), Plans.Trigger(4), Plans.Notify(5));
        Succeed(run);
        Succeed(run);
        Succeed(run);
        run.RecordFailed(run.IdentityOf(4), "422", DateTime.UtcNow);

        run.CompensateNext();
        Assert.Equal(4, run.CompensatingStep);
        Assert.Null(Assert.IsType<CancelPipeline>(StepCommands.Undo(run, run.StepAt(4)!).Command).RunReference);
        run.RecordCompensated(new StepCompensated(run.IdentityOf(4), "nothing to undo", DateTimeOffset.UtcNow));
        run.CompensateNext();
        Assert.Equal(3, run.CompensatingStep);
        run.RecordCompensated(new StepCompensated(run.IdentityOf(3), "note deleted", DateTimeOffset.UtcNow));
        run.CompensateNext();

        Assert.Equal(0, run.CompensatingStep);
        Assert.Equal(
            [CompensationStatus.NotCompensable, CompensationStatus.NotCompensable, CompensationStatus.Compensated, CompensationStatus.Compensated, null],
            run.Steps.Select(step => step.Compensation));
        Assert.Equal("step 4 (ci.trigger_pipeline) failed: 422", run.Failure);
    }

    [Fact]
    public void A_message_naming_another_run_number_or_rule_is_not_taken_for_this_runs_step()
    {
        var run = Started(Plans.LogActivity(1));

        Assert.True(run.IsAwaiting(run.IdentityOf(1)));
        Assert.False(run.IsAwaiting(run.IdentityOf(1) with { Run = 2 }));
        Assert.False(run.IsAwaiting(run.IdentityOf(1) with { Rule = "other" }));
        Assert.Null(run.StepOf(run.IdentityOf(1) with { EventId = "evt_other" }));
    }

    private static RunState Started(params PlannedStep[] steps)
    {
        var start = new StartRun(Guid.NewGuid(), Guid.NewGuid(), "cms", "evt_1", WebhookEventTypes.ContentStateChanged, "rule", 1,
            DateTimeOffset.UtcNow, steps, new Dictionary<string, string>());
        var run = new RunState { CorrelationId = start.RunId };
        run.Start(start, DateTime.UtcNow, traceId: null);
        run.StartNextStep(DateTime.UtcNow);
        return run;
    }

    /// <summary>The awaited step succeeds and the next one starts.</summary>
    private static void Succeed(RunState run)
    {
        run.RecordSucceeded(new StepSucceeded(run.IdentityOf(run.CurrentStep), $"ref-{run.CurrentStep}", 1, DateTimeOffset.UtcNow));
        if (run.HasNextStep && run.StepAt(run.CurrentStep + 1)!.Status == StepStatus.Pending)
        {
            run.StartNextStep(DateTime.UtcNow);
        }
    }
}
