using Automation.Messaging.Postgres;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Automation.Bench.SagaAndScheduler;

public sealed record IncrementCounter(Guid CounterId);

/// <summary>Counts the messages applied to it: a lost update shows as a count below the messages sent.</summary>
public sealed class CounterState : SagaStateMachineInstance, IRowVersioned
{
    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = "";

    public int Count { get; set; }

    public uint RowVersion { get; set; }
}

public sealed class CounterStateMap() : PostgresSagaMap<CounterState>("counter_state")
{
    protected override void Configure(EntityTypeBuilder<CounterState> entity) =>
        entity.Property(counter => counter.CurrentState).HasMaxLength(64);
}

public sealed class CounterStateMachine : MassTransitStateMachine<CounterState>
{
    public CounterStateMachine()
    {
        InstanceState(counter => counter.CurrentState);
        Event(() => Incremented, e => e.CorrelateById(context => context.Message.CounterId));
        Initially(When(Incremented).Then(context => context.Saga.Count++).TransitionTo(Counting));
        During(Counting, When(Incremented).Then(context => context.Saga.Count++));
    }

    public State Counting { get; private set; } = null!;

    public Event<IncrementCounter> Incremented { get; private set; } = null!;
}

public sealed class BenchDbContext(DbContextOptions<BenchDbContext> options) : DbContext(options)
{
    public DbSet<CounterState> Counters => Set<CounterState>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema("bench");
        modelBuilder.ApplyConfiguration(new CounterStateMap());
        modelBuilder.AddScheduledDeliveries();
    }
}
