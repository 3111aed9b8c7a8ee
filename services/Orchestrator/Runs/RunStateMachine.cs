using Automation.Contracts;
using Automation.Orchestrator.Rules;
using Automation.ServiceDefaults;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Automation.Orchestrator.Runs;

/// <summary>A run of a rule for an event: the steps in order, each with a timeout; on a step that fails for good or times
/// out, the reverse walk that undoes what may have been done, then the failure notice. Diagram and rules in
/// docs/automation.md. Every handler checks the step's identity and status (RunState.Progress.cs), so late and repeated
/// messages never move the run twice; results that arrive after the run moved on are recorded, and a late success is
/// compensated.</summary>
public sealed partial class RunStateMachine : MassTransitStateMachine<RunState>
{
    private readonly AutomationOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<RunStateMachine> _logger;

    public RunStateMachine(IOptions<AutomationOptions> options, TimeProvider clock, RunOpener opener, ILogger<RunStateMachine> logger)
    {
        _options = options.Value;
        _clock = clock;
        _logger = logger;

        InstanceState(run => run.CurrentState);
        ConnectStateObserver(RunMetrics.Observer);
        Event(() => Started, e => e.CorrelateById(context => context.Message.RunId));
        Event(() => Succeeded, e => OfRun(e, context => context.Message.Step));
        Event(() => Undone, e => OfRun(e, context => context.Message.Step));
        Event(() => UpsertContactFaulted, e => OfRun(e, context => context.Message.Message.Step));
        Event(() => LogActivityFaulted, e => OfRun(e, context => context.Message.Message.Step));
        Event(() => TriggerPipelineFaulted, e => OfRun(e, context => context.Message.Message.Step));
        Event(() => NotificationFaulted, e => OfRun(e, context => context.Message.Message.Step));
        Event(() => DeleteNoteFaulted, e => OfRun(e, context => context.Message.Message.Step));
        Event(() => CancelPipelineFaulted, e => OfRun(e, context => context.Message.Message.Step));
        Schedule(() => StepTimeout, run => run.StepTimeoutTokenId, schedule =>
        {
            schedule.Delay = _options.StepTimeout;
            schedule.Received = e =>
            {
                e.CorrelateById(context => context.Message.RunId);
                e.OnMissingInstance(missing => missing.Discard());
            };
        });

        Initially(When(Started)
            .ThenAsync(context => opener.OpenAsync(context, context.Saga, context.Message))
            .TransitionTo(Running));
        DuringAny(When(Started).Then(context => LogIgnored(context.Saga.CorrelationId, "a second start of the run", CurrentStateOf(context))));

        WhileRunning();
        WhileUndoing();
        OnStepFault(UpsertContactFaulted);
        OnStepFault(LogActivityFaulted);
        OnStepFault(TriggerPipelineFaulted);
        OnStepFault(NotificationFaulted);
        OnCompensationFault(DeleteNoteFaulted);
        OnCompensationFault(CancelPipelineFaulted);
        During(Completed, Compensated, Failed, Ignore(StepTimeout.Received));
    }

    public State Running { get; private set; } = null!;
    public State Completed { get; private set; } = null!;
    public State Compensating { get; private set; } = null!;
    public State Compensated { get; private set; } = null!;

    /// <summary>A compensation failed or went unanswered: an operator must act.</summary>
    public State Failed { get; private set; } = null!;

    public Event<StartRun> Started { get; private set; } = null!;
    public Event<StepSucceeded> Succeeded { get; private set; } = null!;
    public Event<StepCompensated> Undone { get; private set; } = null!;
    public Event<Fault<UpsertCrmContact>> UpsertContactFaulted { get; private set; } = null!;
    public Event<Fault<LogCrmActivity>> LogActivityFaulted { get; private set; } = null!;
    public Event<Fault<TriggerPipeline>> TriggerPipelineFaulted { get; private set; } = null!;
    public Event<Fault<SendNotification>> NotificationFaulted { get; private set; } = null!;
    public Event<Fault<DeleteCrmNote>> DeleteNoteFaulted { get; private set; } = null!;
    public Event<Fault<CancelPipeline>> CancelPipelineFaulted { get; private set; } = null!;
    public Schedule<RunState, StepTimedOut> StepTimeout { get; private set; } = null!;

    private DateTime Now => _clock.GetUtcNow().UtcDateTime;

    private void WhileRunning()
    {
        During(Running,
            When(Succeeded, context => context.Saga.IsAwaiting(context.Message.Step))
                .Then(context => context.Saga.RecordSucceeded(context.Message))
                .IfElse(context => context.Saga.HasNextStep,
                    next => next
                        .Then(context => context.Saga.StartNextStep(Now))
                        .ThenAsync(context => StepCommands.SendAsync(context, StepCommands.Do(context.Saga, context.Saga.StepAt(context.Saga.CurrentStep)!)))
                        .Schedule(StepTimeout, context => context.Saga.TimeoutOfCurrentStep()),
                    last => last
                        .Unschedule(StepTimeout)
                        .Then(context => context.Saga.Finish(Now))
                        .TransitionTo(Completed)),
            When(Succeeded, context => !context.Saga.IsAwaiting(context.Message.Step))
                .Then(context => LogIgnored(context.Saga.CorrelationId, $"a repeated or unexpected success of step {context.Message.Step.Step}", "Running")),
            CompensateNextOrFinish(When(StepTimeout.Received, context => context.Saga.IsAwaiting(context.Message))
                .Then(context => context.Saga.RecordUnknown(_options.StepTimeout, Now))
                .Then(context => LogCompensating(context.Saga.CorrelationId, context.Saga.Failure!))),
            When(StepTimeout.Received, context => !context.Saga.IsAwaiting(context.Message))
                .Then(context => LogIgnored(context.Saga.CorrelationId, $"a stale timeout of step {context.Message.Step}", "Running")));
        During(Completed,
            When(Succeeded).Then(context => LogIgnored(context.Saga.CorrelationId, $"a repeated success of step {context.Message.Step.Step}", "Completed")));
    }

    private void WhileUndoing()
    {
        During(Compensating, Compensated, Failed,
            When(Succeeded)
                .ThenAsync(async context =>
                {
                    if (context.Saga.RecordLateOutcome(context.Message))
                    {
                        TraceExport.FromHere();
                        LogLateSuccess(context.Saga.CorrelationId, context.Message.Step.Step);
                        await StepCommands.SendAsync(context, StepCommands.Undo(context.Saga, RunState.MarkCompensating(context.Saga.StepOf(context.Message.Step)!)));
                    }
                }));
        During(Compensating,
            CompensateNextOrFinish(When(Undone, context => context.Saga.IsAwaitingCompensation(context.Message.Step))
                .Then(context => context.Saga.RecordCompensated(context.Message))
                .ThenAsync(context => CompensateAgainIfAsked(context, context.Message.Step.Step))),
            When(Undone, context => !context.Saga.IsAwaitingCompensation(context.Message.Step))
                .Then(context => context.Saga.RecordCompensated(context.Message))
                .ThenAsync(context => CompensateAgainIfAsked(context, context.Message.Step.Step)),
            CompensateNextOrFinish(When(StepTimeout.Received, context => context.Saga.IsAwaiting(context.Message))
                .Then(context => context.Saga.RecordCompensationFailed(context.Saga.IdentityOf(context.Message.Step),
                    $"no answer within {_options.StepTimeout}: outcome unknown", Now))
                .Then(context => LogCompensationFailed(context.Saga.CorrelationId, context.Message.Step, "no answer in time"))
                .ThenAsync(context => CompensateAgainIfAsked(context, context.Message.Step))),
            When(StepTimeout.Received, context => !context.Saga.IsAwaiting(context.Message))
                .Then(context => LogIgnored(context.Saga.CorrelationId, $"a stale timeout of step {context.Message.Step}", "Compensating")));
        During(Compensated,
            When(Undone)
                .Then(context => context.Saga.RecordCompensated(context.Message))
                .ThenAsync(context => CompensateAgainIfAsked(context, context.Message.Step.Step)));
        During(Failed,
            When(Undone)
                .Then(context => context.Saga.RecordCompensated(context.Message))
                .ThenAsync(context => CompensateAgainIfAsked(context, context.Message.Step.Step))
                .If(context => context.Saga.IsWhole, whole => whole.TransitionTo(Compensated)));
    }

    /// <summary>The reverse walk's next compensation, with its timeout; or, when nothing is left, the failure notice and
    /// the end: Compensated, or Failed when a compensation failed. A run that compensates is traced from here on, though
    /// its trace was not sampled: an operator opening it sees the compensations and the notice.</summary>
    private EventActivityBinder<RunState, T> CompensateNextOrFinish<T>(EventActivityBinder<RunState, T> binder)
        where T : class =>
        binder
            .Then(_ => TraceExport.FromHere())
            .Then(context => context.Saga.CompensateNext())
            .IfElse(context => context.Saga.CompensatingStep > 0,
                waiting => waiting
                    .ThenAsync(context => StepCommands.SendAsync(context, StepCommands.Undo(context.Saga, context.Saga.StepAt(context.Saga.CompensatingStep)!)))
                    .Schedule(StepTimeout, context => context.Saga.TimeoutOfCompensation())
                    .TransitionTo(Compensating),
                finished => finished
                    .Unschedule(StepTimeout)
                    .Then(context => context.Saga.Finish(Now))
                    .ThenAsync(context => StepCommands.SendAsync(context, StepCommands.Do(context.Saga, context.Saga.AddFailureNotice(_options.FailureNotice.Channel!,
                        _options.FailureNotice.Template!, context.Saga.AnyCompensationFailed ? nameof(Failed) : nameof(Compensated), Now))))
                    .Then(context => LogFinished(context.Saga.CorrelationId, context.Saga.AnyCompensationFailed ? nameof(Failed) : nameof(Compensated)))
                    .IfElse(context => context.Saga.AnyCompensationFailed,
                        failed => failed.TransitionTo(Failed),
                        compensated => compensated.TransitionTo(Compensated)));

    private async Task CompensateAgainIfAsked<T>(BehaviorContext<RunState, T> context, int step)
        where T : class
    {
        if (context.Saga.TakeRepeatedCompensation(step) is { } again)
        {
            await StepCommands.SendAsync(context, StepCommands.Undo(context.Saga, again));
        }
    }

    private static string CurrentStateOf(BehaviorContext<RunState> context) => context.Saga.CurrentState;

    /// <summary>Results and faults name their run in the step identity; one for a run that does not exist faults to the
    /// error queue, where an operator sees it.</summary>
    private static void OfRun<T>(IEventCorrelationConfigurator<RunState, T> correlation, Func<ConsumeContext<T>, StepIdentity> step)
        where T : class
    {
        correlation.CorrelateById(context => step(context).RunId);
        correlation.OnMissingInstance(missing => missing.Fault());
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} compensates: {Failure}")]
    private partial void LogCompensating(Guid runId, string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: the compensation of step {Step} failed: {Error}")]
    private partial void LogCompensationFailed(Guid runId, int step, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} ended {State} and sent its failure notice")]
    private partial void LogFinished(Guid runId, string state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: step {Step} succeeded after the run moved on; it is compensated")]
    private partial void LogLateSuccess(Guid runId, int step);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} ignored {What} ({State})")]
    private partial void LogIgnored(Guid runId, string what, string state);
}
