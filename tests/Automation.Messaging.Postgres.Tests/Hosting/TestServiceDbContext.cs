using Automation.Messaging.Postgres;
using Automation.Messaging.Postgres.Tests.Sagas;
using Automation.Messaging.Postgres.Tests.Scheduling;
using Microsoft.EntityFrameworkCore;

namespace Automation.Messaging.Postgres.Tests.Hosting;

/// <summary>A service's own DbContext, in its own schema, holding its sagas, its scheduler's table and its inbox/outbox.</summary>
public sealed class TestServiceDbContext(DbContextOptions<TestServiceDbContext> options) : DbContext(options)
{
    public const string Schema = "test_service";

    public DbSet<CounterState> Counters => Set<CounterState>();

    public DbSet<WaitState> Waits => Set<WaitState>();

    public DbSet<LedgerState> Ledgers => Set<LedgerState>();

    public DbSet<ScheduledDelivery> ScheduledDeliveries => Set<ScheduledDelivery>();

    public DbSet<InboxState> Inbox => Set<InboxState>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.ApplyConfiguration(new CounterStateMap());
        modelBuilder.ApplyConfiguration(new WaitStateMap());
        modelBuilder.ApplyConfiguration(new LedgerStateMap());
        modelBuilder.AddScheduledDeliveries();
        modelBuilder.AddPostgresInboxOutbox();
    }
}
