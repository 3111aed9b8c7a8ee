using Automation.Contracts;
using MassTransit;

namespace Automation.Orchestrator.Runs;

/// <summary>What a fault does to a run: a step command's (the step failed for good) and a compensation's.</summary>
public sealed partial class RunStateMachine
{
    private void OnStepFault<TCommand>(Event<Fault<TCommand>> faulted)
        where TCommand : class, IStepCommand
    {
        During(Running,
            CompensateNextOrFinish(When(faulted, context => context.Saga.IsAwaiting(context.Message.Message.Step))
                .Then(context => context.Saga.RecordFailed(context.Message.Message.Step, FaultText(context.Message), Now))
                .Then(context => LogCompensating(context.Saga.CorrelationId, context.Saga.Failure!))),
            When(faulted, context => !context.Saga.IsAwaiting(context.Message.Message.Step))
                .Then(context => LogIgnored(context.Saga.CorrelationId, $"a fault of step {context.Message.Message.Step.Step} not awaited", "Running")));
        During(Completed,
            When(faulted).Then(context => LogIgnored(context.Saga.CorrelationId, $"a fault of step {context.Message.Message.Step.Step}", "Completed")));
        During(Compensating, Compensated, Failed,
            When(faulted).Then(context => context.Saga.RecordLateFailure(context.Message.Message.Step, FaultText(context.Message), Now)));
    }

    private void OnCompensationFault<TCommand>(Event<Fault<TCommand>> faulted)
        where TCommand : class, IStepCommand
    {
        During(Compensating,
            CompensateNextOrFinish(When(faulted, context => context.Saga.IsAwaitingCompensation(context.Message.Message.Step))
                .Then(context => RecordCompensationFault(context))
                .ThenAsync(context => CompensateAgainIfAsked(context, context.Message.Message.Step.Step))),
            When(faulted, context => !context.Saga.IsAwaitingCompensation(context.Message.Message.Step))
                .Then(context => RecordCompensationFault(context))
                .ThenAsync(context => CompensateAgainIfAsked(context, context.Message.Message.Step.Step)));
        During(Compensated, Failed,
            When(faulted)
                .Then(context => RecordCompensationFault(context))
                .ThenAsync(context => CompensateAgainIfAsked(context, context.Message.Message.Step.Step))
                .If(context => context.Saga.AnyCompensationFailed, failed => failed.TransitionTo(Failed)));
    }

    private void RecordCompensationFault<TCommand>(BehaviorContext<RunState, Fault<TCommand>> context)
        where TCommand : class, IStepCommand
    {
        var step = context.Message.Message.Step;
        context.Saga.RecordCompensationFailed(step, FaultText(context.Message), Now);
        LogCompensationFailed(context.Saga.CorrelationId, step.Step, FaultText(context.Message));
    }

    private static string FaultText(Fault fault)
    {
        var text = string.Join(" / ", fault.Exceptions.Select(exception => $"{exception.ExceptionType.Split('.')[^1]}: {exception.Message}"));
        return text.Length <= 2000 ? text : text[..2000];
    }
}
