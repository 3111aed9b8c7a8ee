using Automation.Hosting;
using Automation.Messaging.Postgres;
using Automation.Orchestrator.Events;
using Automation.Orchestrator.Operations;
using Automation.Orchestrator.Operations.Audit;
using Automation.Orchestrator.Operations.Replays;
using Automation.Orchestrator.Runs;
using Microsoft.EntityFrameworkCore;

namespace Automation.Orchestrator.Persistence;

/// <summary>The Orchestrator's tables, in its own schema: the event copies, the runs (the saga), the inbox and outbox its
/// consumers and saga run behind, its durable scheduler's messages, and the operator API's audit and replayed runs.</summary>
public sealed class OrchestratorDbContext(DbContextOptions<OrchestratorDbContext> options) : DbContext(options)
{
    public const string Schema = "orchestrator";

    public DbSet<EventCopy> Events => Set<EventCopy>();

    public DbSet<RunState> Runs => Set<RunState>();

    public DbSet<OperatorAction> OperatorActions => Set<OperatorAction>();

    public DbSet<ReplayedRun> ReplayedRuns => Set<ReplayedRun>();

    /// <summary>What the Orchestrator adds to the options every service's DbContext gets (a pooled DbContext cannot change
    /// its options in <c>OnConfiguring</c>): the composition and the design-time factory both call this.</summary>
    public static void Configure(DbContextOptionsBuilder options) => options.UseSnakeCaseNamingConvention();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.AddPostgresInboxOutbox();
        modelBuilder.AddScheduledDeliveries();
        modelBuilder.ApplyConfiguration(new RunStateMap());
        modelBuilder.Entity<EventCopy>(events =>
        {
            events.ToTable("events");
            events.HasKey(e => e.Id);
            events.Property(e => e.Id).ValueGeneratedNever();
            events.Property(e => e.Source).HasMaxLength(RunStateMap.MaxSourceLength);
            events.Property(e => e.EventId).HasMaxLength(RunStateMap.MaxEventIdLength);
            events.Property(e => e.Type).HasMaxLength(RunStateMap.MaxNameLength);
            events.Property(e => e.Data).HasColumnType("jsonb");
            events.Property(e => e.TraceId).HasMaxLength(32);
            // One copy per event, whichever message brought it: the second delivery of an event starts no runs.
            events.HasIndex(e => new { e.Source, e.EventId }).IsUnique();
            // The operator API pages through events newest first by (received_at, id); time ranges use it too.
            events.HasIndex(e => new { e.ReceivedAt, e.Id });
        });
        modelBuilder.Entity<OperatorAction>(actions =>
        {
            actions.ToTable("operator_actions");
            actions.HasKey(action => action.Id);
            actions.Property(action => action.Id).ValueGeneratedNever();
            actions.Property(action => action.Operator).HasMaxLength(OperationsLimits.MaxOperatorNameLength);
            actions.Property(action => action.Kind).HasMaxLength(16);
            actions.Property(action => action.Request).HasColumnType("jsonb");
            actions.Property(action => action.Result).HasColumnType("jsonb");
            actions.HasIndex(action => new { action.At, action.Id });
        });
        modelBuilder.Entity<ReplayedRun>(runs =>
        {
            runs.ToTable("replayed_runs");
            runs.HasKey(run => run.RunId);
            runs.Property(run => run.RunId).ValueGeneratedNever();
            runs.Property(run => run.Rule).HasMaxLength(RunStateMap.MaxNameLength);
            // Two replays racing for the same (event, rule) cannot both start its run n + 1.
            runs.HasIndex(run => new { run.EventRecordId, run.Rule, run.Run }).IsUnique();
            runs.HasIndex(run => run.ActionId);
        });
        KeepIndexNames(modelBuilder);
    }

    /// <summary>An index the persistence library names (the scheduler's two on <c>due_at</c>) keeps its name: the snake-case
    /// convention would otherwise rename both after their column, <c>ix_scheduled_message_due_at</c> and <c>…_due_at1</c>.</summary>
    private static void KeepIndexNames(ModelBuilder modelBuilder)
    {
        foreach (var index in modelBuilder.Model.GetEntityTypes().SelectMany(entity => entity.GetDeclaredIndexes()).Where(index => index.Name is not null))
        {
            index.SetDatabaseName(index.Name);
        }
    }
}

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the service (no database needed).</summary>
public sealed class OrchestratorDbContextDesignTimeFactory()
    : DesignTimeDbContextFactory<OrchestratorDbContext>(OrchestratorDbContext.Schema, options => new(options), OrchestratorDbContext.Configure);
