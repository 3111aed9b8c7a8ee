using System.Diagnostics;
using Automation.Contracts;
using Automation.Orchestrator.Runs;
using Automation.Orchestrator.Tests.Connectors;
using Automation.Testing;
using MassTransit;

namespace Automation.Orchestrator.Tests.Runs;

/// <summary>The run's transitions on the in-memory test harness: the fast tier (real servers: Service/*Tests).</summary>
public sealed class RunStateMachineTests
{
    [Fact]
    public async Task A_run_whose_steps_all_succeed_does_them_in_order_and_completes()
    {
        await using var runs = await RunHarness.StartAsync();
        var eventId = RunHarness.NewEventId();

        var start = await runs.StartRunAsync(eventId, Plans.LogActivity(1), Plans.Trigger(2), Plans.Notify(3));
        var run = await runs.WaitForState(start, machine => machine.Completed);

        var commands = runs.Script.For(eventId);
        Assert.Equal([typeof(LogCrmActivity), typeof(TriggerPipeline), typeof(SendNotification)], commands.Select(command => command.GetType()));
        Assert.Equal([1, 2, 3], commands.Select(command => command.Step.Step));
        var activity = Assert.IsType<LogCrmActivity>(commands[0]);
        Assert.Equal($"harness:{eventId}:rule:1:1", activity.Step.IdempotencyKey);
        Assert.Equal("ada@example.com", activity.ContactEmail);
        Assert.Equal("Hello", activity.Values["data.title"]);
        Assert.All(run.Steps, step =>
        {
            Assert.Equal(StepStatus.Succeeded, step.Status);
            Assert.Equal(ScriptedConnector<LogCrmActivity>.ReferenceFor(RunHarness.Step(start, step.Plan.Number)), step.ExternalReference);
            Assert.Equal(1, step.Attempts);
            Assert.Null(step.Compensation);
        });
        Assert.NotNull(run.FinishedAt);
        Assert.Null(run.Failure);
        Assert.Null(run.StepTimeoutTokenId);
    }

    [Fact]
    public async Task A_step_that_fails_for_good_undoes_the_steps_before_it_in_reverse_then_sends_the_failure_notice()
    {
        await using var runs = await RunHarness.StartAsync();
        var eventId = RunHarness.NewEventId();
        runs.Script.On(eventId, 4, ScriptedAnswer.Fail);

        var start = await runs.StartRunAsync(eventId, Plans.Upsert(1), Plans.LogActivity(2), Plans.Trigger(3), Plans.Notify(4));
        var run = await runs.WaitForState(start, machine => machine.Compensated);

        await Eventually.Until(() => runs.Script.For(eventId).Count == 7, "the failure notice was sent");
        var commands = runs.Script.For(eventId);
        Assert.Equal(
            [(typeof(UpsertCrmContact), 1), (typeof(LogCrmActivity), 2), (typeof(TriggerPipeline), 3), (typeof(SendNotification), 4),
                (typeof(CancelPipeline), 3), (typeof(DeleteCrmNote), 2), (typeof(SendNotification), StepIdentity.FailureNotice)],
            commands.Select(command => (command.GetType(), command.Step.Step)));
        Assert.Equal("ref-rule-3", Assert.IsType<CancelPipeline>(commands[4]).RunReference);
        Assert.Equal("ref-rule-2", Assert.IsType<DeleteCrmNote>(commands[5]).NoteId);
        var notice = Assert.IsType<SendNotification>(commands[6]);
        Assert.Equal(RunHarness.FailureChannel, notice.Channel);
        Assert.Equal("4", notice.Values["failure.step"]);
        Assert.Equal(nameof(RunStateMachine.Compensated), notice.Values["run.state"]);
        Assert.Contains("refused by the script", notice.Values["failure.error"], StringComparison.Ordinal);

        Assert.Equal(4, run.FailedStep);
        Assert.Equal((StepStatus.Failed, CompensationStatus.NotCompensable), (run.StepAt(4)!.Status, run.StepAt(4)!.Compensation));
        Assert.Contains("ScriptedFailureException", run.StepAt(4)!.Error, StringComparison.Ordinal);
        Assert.Equal(CompensationStatus.Compensated, run.StepAt(3)!.Compensation);
        Assert.Equal(CompensationStatus.Compensated, run.StepAt(2)!.Compensation);
        Assert.Equal("undone ref-rule-2", run.StepAt(2)!.CompensationOutcome);
        Assert.Equal(CompensationStatus.NotCompensable, run.StepAt(1)!.Compensation);
        await Eventually.Until(() => run.StepAt(StepIdentity.FailureNotice)?.Status == StepStatus.Succeeded, "the failure notice's success was recorded");
    }

    [Fact]
    public async Task A_run_that_compensates_is_traced_from_its_failure_on_though_its_trace_was_not_sampled()
    {
        using var source = new ActivitySource($"{nameof(RunStateMachineTests)}.{Guid.NewGuid():N}");
        // Every span follows its parent's sampling decision, as the services' sampler does for a trace it did not start.
        using var listener = new ActivityListener
        {
            ShouldListenTo = candidate => candidate == source || candidate.Name == "MassTransit",
            Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
                options.Parent.TraceFlags.HasFlag(ActivityTraceFlags.Recorded) ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.AllData,
        };
        ActivitySource.AddActivityListener(listener);
        await using var runs = await RunHarness.StartAsync();
        var eventId = RunHarness.NewEventId();
        runs.Script.On(eventId, 3, ScriptedAnswer.Fail);

        var notSampled = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None, isRemote: true);
        StartRun start;
        using (source.StartActivity("webhook", ActivityKind.Server, notSampled))
        {
            start = await runs.StartRunAsync(eventId, Plans.LogActivity(1), Plans.Trigger(2), Plans.Notify(3));
        }

        await runs.WaitForState(start, machine => machine.Compensated);
        await Eventually.Until(() => runs.Script.For(eventId).Count == 6, "the failure notice was sent");
        Assert.Equal(
            [(typeof(LogCrmActivity), 1, false), (typeof(TriggerPipeline), 2, false), (typeof(SendNotification), 3, false),
                (typeof(CancelPipeline), 2, true), (typeof(DeleteCrmNote), 1, true), (typeof(SendNotification), StepIdentity.FailureNotice, true)],
            runs.Script.TracedFor(eventId).Select(delivery => (delivery.Command.GetType(), delivery.Command.Step.Step, delivery.Sampled)));
    }

    [Fact]
    public async Task A_compensable_step_that_fails_for_good_is_undone_by_its_key_first_as_its_effect_is_unknown()
    {
        await using var runs = await RunHarness.StartAsync();
        var eventId = RunHarness.NewEventId();
        runs.Script.On(eventId, 2, ScriptedAnswer.Fail);

        var start = await runs.StartRunAsync(eventId, Plans.LogActivity(1), Plans.Trigger(2), Plans.Notify(3));
        var run = await runs.WaitForState(start, machine => machine.Compensated);

        await Eventually.Until(() => runs.Script.For(eventId).Count == 5, "the failure notice was sent");
        var commands = runs.Script.For(eventId);
        Assert.Equal([(typeof(CancelPipeline), 2), (typeof(DeleteCrmNote), 1), (typeof(SendNotification), StepIdentity.FailureNotice)],
            commands.Skip(2).Select(command => (command.GetType(), command.Step.Step)));
        Assert.Null(Assert.IsType<CancelPipeline>(commands[2]).RunReference);
        Assert.Equal((StepStatus.Failed, CompensationStatus.Compensated, "undone (found by key)"),
            (run.StepAt(2)!.Status, run.StepAt(2)!.Compensation, run.StepAt(2)!.CompensationOutcome));
        Assert.Equal(StepStatus.Pending, run.StepAt(3)!.Status);
    }

    [Fact]
    public async Task A_first_step_that_fails_leaves_nothing_to_undo_and_the_run_ends_compensated_with_its_notice()
    {
        await using var runs = await RunHarness.StartAsync();
        var eventId = RunHarness.NewEventId();
        runs.Script.On(eventId, 1, ScriptedAnswer.Fail);

        var start = await runs.StartRunAsync(eventId, Plans.Notify(1), Plans.LogActivity(2));
        var run = await runs.WaitForState(start, machine => machine.Compensated);

        await Eventually.Until(() => runs.Script.For(eventId).Count == 2, "the failure notice was sent");
        Assert.Equal([1, StepIdentity.FailureNotice], runs.Script.For(eventId).Select(command => command.Step.Step));
        Assert.Equal(StepStatus.Pending, run.StepAt(2)!.Status);
        Assert.Equal(CompensationStatus.NotCompensable, run.StepAt(1)!.Compensation);
    }

    [Fact]
    public async Task A_compensation_that_fails_leaves_the_run_failed_for_an_operator_and_the_notice_says_so()
    {
        await using var runs = await RunHarness.StartAsync();
        var eventId = RunHarness.NewEventId();
        runs.Script.On(eventId, 2, ScriptedAnswer.Fail).On(eventId, 1, ScriptedAnswer.Fail, compensation: true);

        var start = await runs.StartRunAsync(eventId, Plans.LogActivity(1), Plans.Trigger(2));
        var run = await runs.WaitForState(start, machine => machine.Failed);

        Assert.Equal(CompensationStatus.Failed, run.StepAt(1)!.Compensation);
        Assert.Contains("DeleteCrmNote", run.StepAt(1)!.CompensationError, StringComparison.Ordinal);
        await Eventually.Until(() => runs.Script.For(eventId).OfType<SendNotification>().Any(), "the failure notice was sent");
        var notice = runs.Script.For(eventId).OfType<SendNotification>().Single();
        Assert.Equal(StepIdentity.FailureNotice, notice.Step.Step);
        Assert.Equal(nameof(RunStateMachine.Failed), notice.Values["run.state"]);
    }

    [Fact]
    public async Task A_step_that_times_out_is_undone_by_its_key_and_its_late_success_is_undone_by_its_reference()
    {
        await using var runs = await RunHarness.StartAsync(stepTimeout: TimeSpan.FromSeconds(1));
        var eventId = RunHarness.NewEventId();
        runs.Script.On(eventId, 2, ScriptedAnswer.Silent);

        var start = await runs.StartRunAsync(eventId, Plans.LogActivity(1), Plans.Trigger(2));
        var run = await runs.WaitForState(start, machine => machine.Compensated);

        Assert.Equal(StepStatus.Unknown, run.StepAt(2)!.Status);
        Assert.Equal(2, run.FailedStep);
        Assert.Contains("timed out", run.Failure, StringComparison.Ordinal);
        var undo = runs.Script.For(eventId).OfType<CancelPipeline>().ToList();
        Assert.Null(Assert.Single(undo).RunReference);
        Assert.Equal("ref-rule-1", Assert.Single(runs.Script.For(eventId).OfType<DeleteCrmNote>()).NoteId);

        // The external call had its effect after all: its answer arrives after the run finished.
        await runs.Harness.Bus.Publish(new StepSucceeded(RunHarness.Step(start, 2), "pipeline-run-7", 3, DateTimeOffset.UtcNow),
            TestContext.Current.CancellationToken);

        await Eventually.Until(() => runs.Script.For(eventId).OfType<CancelPipeline>().Count() == 2, "the late success was compensated");
        Assert.Equal("pipeline-run-7", runs.Script.For(eventId).OfType<CancelPipeline>().Last().RunReference);
        await Eventually.Until(() => run.StepAt(2)!.CompensationOutcome == "undone pipeline-run-7", "the second compensation was recorded");
        var step = run.StepAt(2)!;
        Assert.Equal(StepStatus.Succeeded, step.Status);
        Assert.True(step.Late);
        Assert.Equal("pipeline-run-7", step.ExternalReference);
        Assert.Equal(2, step.CompensationsSent);
        Assert.Equal(nameof(RunStateMachine.Compensated), run.CurrentState);
    }

    [Fact]
    public async Task A_failed_run_whose_failed_compensation_is_redone_after_a_late_success_becomes_compensated()
    {
        await using var runs = await RunHarness.StartAsync(stepTimeout: TimeSpan.FromSeconds(1));
        var eventId = RunHarness.NewEventId();
        runs.Script.On(eventId, 2, ScriptedAnswer.Silent).On(eventId, 2, ScriptedAnswer.Silent, compensation: true, times: 1);

        var start = await runs.StartRunAsync(eventId, Plans.LogActivity(1), Plans.Trigger(2));
        var run = await runs.WaitForState(start, machine => machine.Failed);
        Assert.Equal(CompensationStatus.Failed, run.StepAt(2)!.Compensation);
        Assert.Equal(CompensationStatus.Compensated, run.StepAt(1)!.Compensation);

        await runs.Harness.Bus.Publish(new StepSucceeded(RunHarness.Step(start, 2), "pipeline-run-9", 1, DateTimeOffset.UtcNow),
            TestContext.Current.CancellationToken);

        run = await runs.WaitForState(start, machine => machine.Compensated);
        Assert.Equal("pipeline-run-9", runs.Script.For(eventId).OfType<CancelPipeline>().Last().RunReference);
        Assert.Equal(CompensationStatus.Compensated, run.StepAt(2)!.Compensation);
    }

    [Fact]
    public async Task Repeated_and_late_messages_never_move_the_run_twice()
    {
        await using var runs = await RunHarness.StartAsync();
        var eventId = RunHarness.NewEventId();
        runs.Script.On(eventId, 2, ScriptedAnswer.Silent);
        var start = await runs.StartRunAsync(eventId, Plans.LogActivity(1), Plans.Trigger(2), Plans.Notify(3));
        await Eventually.Until(() => runs.Script.For(eventId).Count == 2, "step 2 was sent");

        await PublishConsumed(runs, start); // the start again
        await PublishConsumed(runs, new StepSucceeded(RunHarness.Step(start, 1), "another-note", 2, DateTimeOffset.UtcNow));
        var secondStep = new StepSucceeded(RunHarness.Step(start, 2), "pipeline-run-1", 1, DateTimeOffset.UtcNow);
        await PublishConsumed(runs, secondStep);
        await PublishConsumed(runs, secondStep);
        var run = await runs.WaitForState(start, machine => machine.Completed);
        await PublishConsumed(runs, new StepSucceeded(RunHarness.Step(start, 3), "another-message", 1, DateTimeOffset.UtcNow));
        await PublishConsumed(runs, new StepTimedOut(start.RunId, 2, Compensation: false));

        Assert.Equal([1, 2, 3], runs.Script.For(eventId).Select(command => command.Step.Step));
        Assert.Equal("ref-rule-1", run.StepAt(1)!.ExternalReference);
        Assert.Equal(1, run.StepAt(1)!.Attempts);
        Assert.Equal("ref-rule-3", run.StepAt(3)!.ExternalReference);
        Assert.Equal(nameof(RunStateMachine.Completed), run.CurrentState);
        Assert.All(run.Steps, step => Assert.Null(step.Compensation));
        // Ignored, not refused: none of them went to the error queue.
        Assert.False(await runs.Harness.Published.Any<Fault<StartRun>>(TestContext.Current.CancellationToken));
        Assert.False(await runs.Harness.Published.Any<Fault<StepSucceeded>>(TestContext.Current.CancellationToken));
        Assert.False(await runs.Harness.Published.Any<Fault<StepTimedOut>>(TestContext.Current.CancellationToken));
    }

    private static async Task PublishConsumed<T>(RunHarness runs, T message)
        where T : class
    {
        var messageId = Guid.NewGuid();
        await runs.Harness.Bus.Publish(message, (PublishContext<T> context) => context.MessageId = messageId, TestContext.Current.CancellationToken);
        Assert.True(await runs.Runs.Consumed.Any<T>(consumed => consumed.Context.MessageId == messageId, TestContext.Current.CancellationToken),
            $"the run consumed the {typeof(T).Name}");
    }
}
