using Automation.Messaging.Postgres;
using MassTransit;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Automation.Messaging.Postgres.Tests.Sagas;

public sealed record IncrementCounter(Guid CounterId);

public sealed record NameCounter(Guid CounterId, string Name);

/// <summary>Correlated by a query on the saga's name, not by its id: the repository's query path.</summary>
public sealed record IncrementNamedCounter(string Name);

/// <summary>A saga that counts the messages it applied: any lost update shows as a count below the messages sent.</summary>
public sealed class CounterState : SagaStateMachineInstance, IRowVersioned
{
    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = "";

    public int Count { get; set; }

    public string? Name { get; set; }

    public uint RowVersion { get; set; }
}

public sealed class CounterStateMap() : PostgresSagaMap<CounterState>("counter_state")
{
    protected override void Configure(EntityTypeBuilder<CounterState> entity)
    {
        entity.Property(counter => counter.CurrentState).HasMaxLength(64);
        entity.HasIndex(counter => counter.Name);
    }
}

public sealed class CounterStateMachine : MassTransitStateMachine<CounterState>
{
    public CounterStateMachine()
    {
        InstanceState(counter => counter.CurrentState);
        Event(() => Incremented, e => e.CorrelateById(context => context.Message.CounterId));
        Event(() => Named, e => e.CorrelateById(context => context.Message.CounterId));
        Event(() => IncrementedByName, e => e.CorrelateBy((counter, context) => counter.Name == context.Message.Name));

        Initially(
            When(Incremented).Then(context => context.Saga.Count++).TransitionTo(Counting),
            When(Named).Then(context => context.Saga.Name = context.Message.Name).TransitionTo(Counting));
        During(Counting,
            When(Incremented).Then(context => context.Saga.Count++),
            When(Named).Then(context => context.Saga.Name = context.Message.Name),
            When(IncrementedByName).Then(context => context.Saga.Count++));
    }

    public State Counting { get; private set; } = null!;

    public Event<IncrementCounter> Incremented { get; private set; } = null!;

    public Event<NameCounter> Named { get; private set; } = null!;

    public Event<IncrementNamedCounter> IncrementedByName { get; private set; } = null!;
}
