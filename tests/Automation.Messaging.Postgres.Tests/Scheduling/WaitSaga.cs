using Automation.Messaging.Postgres;
using MassTransit;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Automation.Messaging.Postgres.Tests.Scheduling;

public sealed record StartWaiting(Guid WaitId);

public sealed record StopWaiting(Guid WaitId);

public sealed record WaitTimedOut(Guid WaitId);

/// <summary>A saga that waits for a stop and gives up after a timeout scheduled with state-machine <c>Schedule(…)</c>.</summary>
public sealed class WaitState : SagaStateMachineInstance, IRowVersioned
{
    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = "";

    public Guid? TimeoutTokenId { get; set; }

    public DateTime StartedAt { get; set; }

    public DateTime? TimedOutAt { get; set; }

    public uint RowVersion { get; set; }
}

public sealed class WaitStateMap() : PostgresSagaMap<WaitState>("wait_state")
{
    protected override void Configure(EntityTypeBuilder<WaitState> entity) =>
        entity.Property(wait => wait.CurrentState).HasMaxLength(64);
}

public sealed class WaitStateMachine : MassTransitStateMachine<WaitState>
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public WaitStateMachine()
    {
        InstanceState(wait => wait.CurrentState);
        Event(() => Started, e => e.CorrelateById(context => context.Message.WaitId));
        Event(() => Stopped, e => e.CorrelateById(context => context.Message.WaitId));
        Schedule(() => TimedOut, wait => wait.TimeoutTokenId, schedule =>
        {
            schedule.Delay = Timeout;
            schedule.Received = e => e.CorrelateById(context => context.Message.WaitId);
        });

        Initially(When(Started)
            .Then(context => context.Saga.StartedAt = DateTime.UtcNow)
            .Schedule(TimedOut, context => new WaitTimedOut(context.Saga.CorrelationId))
            .TransitionTo(Waiting));
        During(Waiting,
            When(Stopped).Unschedule(TimedOut).TransitionTo(Done),
            When(TimedOut.Received).Then(context => context.Saga.TimedOutAt = DateTime.UtcNow).TransitionTo(GaveUp));
    }

    public State Waiting { get; private set; } = null!;

    public State Done { get; private set; } = null!;

    public State GaveUp { get; private set; } = null!;

    public Event<StartWaiting> Started { get; private set; } = null!;

    public Event<StopWaiting> Stopped { get; private set; } = null!;

    public Schedule<WaitState, WaitTimedOut> TimedOut { get; private set; } = null!;
}
