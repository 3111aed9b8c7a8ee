using Automation.Messaging.Postgres;
using Automation.Orchestrator.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Automation.Orchestrator.Runs;

/// <summary>The <c>runs</c> table: one row per run, with columns an operator queries (source, event, type, rule, run,
/// state, times, trace) and the steps as jsonb.</summary>
public sealed class RunStateMap() : PostgresSagaMap<RunState>("runs")
{
    public const int MaxSourceLength = 100;
    public const int MaxEventIdLength = 200;
    public const int MaxNameLength = 100;

    protected override void Configure(EntityTypeBuilder<RunState> entity)
    {
        entity.Property(run => run.CurrentState).HasMaxLength(64);
        entity.Property(run => run.Source).HasMaxLength(MaxSourceLength);
        entity.Property(run => run.EventId).HasMaxLength(MaxEventIdLength);
        entity.Property(run => run.EventType).HasMaxLength(MaxNameLength);
        entity.Property(run => run.Rule).HasMaxLength(MaxNameLength);
        entity.Property(run => run.TraceId).HasMaxLength(32);
        entity.Property(run => run.Steps).HasColumnType("jsonb")
            .HasConversion(JsonColumn.Converter<List<StepRecord>>(), JsonColumn.AlwaysSaved<List<StepRecord>>());
        entity.Property(run => run.Values).HasColumnType("jsonb")
            .HasConversion(JsonColumn.Converter<Dictionary<string, string>>(), JsonColumn.AlwaysSaved<Dictionary<string, string>>());
        // Besides the id derived from them, the database itself allows one run per (event, rule, run number).
        entity.HasIndex(run => new { run.Source, run.EventId, run.Rule, run.Run }).IsUnique();
        entity.HasIndex(run => run.EventRecordId);
        entity.HasIndex(run => new { run.CurrentState, run.StartedAt });
        entity.HasIndex(run => run.StartedAt);
    }
}
