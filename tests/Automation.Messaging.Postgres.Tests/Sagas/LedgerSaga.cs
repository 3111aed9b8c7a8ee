using MassTransit;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Automation.Messaging.Postgres.Tests.Sagas;

public sealed record ApplyChange(Guid LedgerId, int Amount, bool FailAfterChange = false);

/// <summary>Published by the ledger for every change it applied, naming the message that carried the change.</summary>
public sealed record ChangeApplied(Guid LedgerId, int Balance, Guid ChangeMessageId);

public sealed record LedgerReminder(Guid LedgerId);

public sealed class LedgerFailedException(string message) : Exception(message);

/// <summary>A saga whose every change writes its row, publishes an event and (re)schedules a reminder — and can fail after
/// all three, to show that none of them outlives the failure.</summary>
public sealed class LedgerState : SagaStateMachineInstance, IRowVersioned
{
    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = "";

    public int Balance { get; set; }

    public Guid? ReminderTokenId { get; set; }

    public uint RowVersion { get; set; }
}

public sealed class LedgerStateMap() : PostgresSagaMap<LedgerState>("ledger_state")
{
    protected override void Configure(EntityTypeBuilder<LedgerState> entity) =>
        entity.Property(ledger => ledger.CurrentState).HasMaxLength(64);
}

public sealed class LedgerStateMachine : MassTransitStateMachine<LedgerState>
{
    public LedgerStateMachine()
    {
        InstanceState(ledger => ledger.CurrentState);
        Event(() => Changed, e => e.CorrelateById(context => context.Message.LedgerId));
        Schedule(() => Reminder, ledger => ledger.ReminderTokenId, schedule =>
        {
            schedule.Delay = TimeSpan.FromHours(1);
            schedule.Received = e => e.CorrelateById(context => context.Message.LedgerId);
        });

        Initially(When(Changed).Then(Apply).Publish(Applied).Schedule(Reminder, Remind).Then(FailIfAsked).TransitionTo(Open));
        During(Open, When(Changed).Then(Apply).Publish(Applied).Schedule(Reminder, Remind).Then(FailIfAsked));
    }

    public State Open { get; private set; } = null!;

    public Event<ApplyChange> Changed { get; private set; } = null!;

    public Schedule<LedgerState, LedgerReminder> Reminder { get; private set; } = null!;

    private static void Apply(BehaviorContext<LedgerState, ApplyChange> context) => context.Saga.Balance += context.Message.Amount;

    private static ChangeApplied Applied(BehaviorContext<LedgerState, ApplyChange> context) =>
        new(context.Saga.CorrelationId, context.Saga.Balance, context.MessageId!.Value);

    private static LedgerReminder Remind(BehaviorContext<LedgerState, ApplyChange> context) => new(context.Saga.CorrelationId);

    private static void FailIfAsked(BehaviorContext<LedgerState, ApplyChange> context)
    {
        if (context.Message.FailAfterChange)
        {
            throw new LedgerFailedException("failed after changing the ledger, publishing and scheduling, as planned");
        }
    }
}
