using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Automation.Messaging.Postgres;

/// <summary>The <c>scheduled_message</c> table, in the DbContext's default schema (each service its own). Column names are
/// fixed so that the scheduler's hand-written statements hold under any naming convention.</summary>
internal sealed class ScheduledDeliveryMap : IEntityTypeConfiguration<ScheduledDelivery>
{
    public const string TableName = "scheduled_message";

    /// <summary>The predicate of a message still to deliver; the partial index below matches it exactly.</summary>
    public const string PendingFilter = "delivered_at IS NULL AND cancelled_at IS NULL";

    public void Configure(EntityTypeBuilder<ScheduledDelivery> entity)
    {
        entity.ToTable(TableName);
        entity.HasKey(message => message.TokenId);
        entity.Property(message => message.TokenId).HasColumnName("token_id").ValueGeneratedNever();
        entity.Property(message => message.DueAt).HasColumnName("due_at");
        entity.Property(message => message.CommandTime).HasColumnName("command_time");
        entity.Property(message => message.CreatedAt).HasColumnName("created_at");
        entity.Property(message => message.DeliveredAt).HasColumnName("delivered_at");
        entity.Property(message => message.CancelledAt).HasColumnName("cancelled_at");
        entity.Property(message => message.Destination).HasColumnName("destination");
        entity.Property(message => message.MessageId).HasColumnName("message_id");
        entity.Property(message => message.ContentType).HasColumnName("content_type");
        entity.Property(message => message.MessageType).HasColumnName("message_type");
        entity.Property(message => message.Body).HasColumnName("body");
        entity.Property(message => message.Headers).HasColumnName("headers");
        entity.Property(message => message.Properties).HasColumnName("properties");
        entity.Property(message => message.ConversationId).HasColumnName("conversation_id");
        entity.Property(message => message.CorrelationId).HasColumnName("correlation_id");
        entity.Property(message => message.InitiatorId).HasColumnName("initiator_id");
        entity.Property(message => message.RequestId).HasColumnName("request_id");
        entity.Property(message => message.SourceAddress).HasColumnName("source_address");
        entity.Property(message => message.ResponseAddress).HasColumnName("response_address");
        entity.Property(message => message.FaultAddress).HasColumnName("fault_address");
        entity.Property(message => message.ExpirationTime).HasColumnName("expiration_time");

        // What the delivery loop scans (due and pending) and what the cleanup scans (finished), kept apart so that a
        // day of delivered rows never slows the search for the next due one.
        entity.HasIndex(message => message.DueAt, "ix_scheduled_message_pending_due").HasFilter(PendingFilter);
        entity.HasIndex(message => message.DueAt, "ix_scheduled_message_finished_due")
            .HasFilter("delivered_at IS NOT NULL OR cancelled_at IS NOT NULL");
    }
}

public static class ScheduledDeliveryModelBuilderExtensions
{
    /// <summary>Adds the durable scheduler's <c>scheduled_message</c> table to this DbContext's model (and so to its
    /// migrations). Call it in <c>OnModelCreating</c> of the DbContext given to <c>AddPostgresMessageScheduler</c>.</summary>
    public static ModelBuilder AddScheduledDeliveries(this ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfiguration(new ScheduledDeliveryMap());
}
