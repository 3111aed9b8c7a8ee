using Automation.Messaging.Postgres;
using Microsoft.EntityFrameworkCore;

namespace Automation.Connectors;

public static class ConnectorModelExtensions
{
    /// <summary>The tables every connector service has in its own schema: the inbox and outbox its consumers run behind,
    /// the durable scheduler's messages (delayed redelivery) and <c>step_outcome</c>.</summary>
    public static ModelBuilder AddConnectorTables(this ModelBuilder modelBuilder)
    {
        modelBuilder.AddPostgresInboxOutbox();
        modelBuilder.AddScheduledDeliveries();
        modelBuilder.Entity<StepOutcome>(outcome =>
        {
            outcome.ToTable("step_outcome");
            outcome.HasKey(x => x.Key);
            outcome.Property(x => x.Key).HasColumnName("key");
            outcome.Property(x => x.ExternalReference).HasColumnName("external_reference");
            outcome.Property(x => x.Detail).HasColumnName("detail");
            outcome.Property(x => x.CompletedAt).HasColumnName("completed_at");
        });
        return modelBuilder;
    }
}
