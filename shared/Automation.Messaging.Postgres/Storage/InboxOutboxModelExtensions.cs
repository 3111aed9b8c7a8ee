using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Automation.Messaging.Postgres;

public static class InboxOutboxModelExtensions
{
    /// <summary>Maps the inbox and outbox tables (<c>inbox_state</c>, <c>outbox_state</c>, <c>outbox_message</c>) into the
    /// DbContext's default schema, so each service's migrations create them in its own schema. Call it from
    /// <c>OnModelCreating</c> of every DbContext used with <c>AddPostgresOutbox</c>.</summary>
    public static ModelBuilder AddPostgresInboxOutbox(this ModelBuilder modelBuilder)
    {
        ConfigureInboxState(modelBuilder.Entity<InboxState>());
        ConfigureOutboxState(modelBuilder.Entity<OutboxState>());
        ConfigureOutboxMessage(modelBuilder.Entity<OutboxMessage>());
        return modelBuilder;
    }

    private static void ConfigureInboxState(EntityTypeBuilder<InboxState> inbox)
    {
        inbox.ToTable(InboxOutboxTables.InboxStateTable);
        inbox.HasKey(x => new { x.MessageId, x.ConsumerId });
        inbox.Property(x => x.MessageId).HasColumnName("message_id");
        inbox.Property(x => x.ConsumerId).HasColumnName("consumer_id");
        inbox.Property(x => x.Received).HasColumnName("received");
        inbox.Property(x => x.ReceiveCount).HasColumnName("receive_count");
        inbox.Property(x => x.Consumed).HasColumnName("consumed");
        inbox.Property(x => x.Delivered).HasColumnName("delivered");
        inbox.Property(x => x.LastSequenceNumber).HasColumnName("last_sequence_number");
        // The cleanup service deletes the oldest delivered rows first.
        inbox.HasIndex(x => x.Delivered);
    }

    private static void ConfigureOutboxState(EntityTypeBuilder<OutboxState> outbox)
    {
        outbox.ToTable(InboxOutboxTables.OutboxStateTable);
        outbox.HasKey(x => x.OutboxId);
        outbox.Property(x => x.OutboxId).HasColumnName("outbox_id");
        outbox.Property(x => x.Created).HasColumnName("created");
        // The delivery service takes the oldest outboxes first; the backlog query reads the oldest one.
        outbox.HasIndex(x => x.Created);
    }

    private static void ConfigureOutboxMessage(EntityTypeBuilder<OutboxMessage> message)
    {
        message.ToTable(InboxOutboxTables.OutboxMessageTable);
        message.HasKey(x => x.SequenceNumber);
        message.Property(x => x.SequenceNumber).HasColumnName("sequence_number").UseIdentityAlwaysColumn();
        message.Property(x => x.MessageId).HasColumnName("message_id");
        message.Property(x => x.OutboxId).HasColumnName("outbox_id");
        message.Property(x => x.InboxMessageId).HasColumnName("inbox_message_id");
        message.Property(x => x.InboxConsumerId).HasColumnName("inbox_consumer_id");
        message.Property(x => x.ContentType).HasColumnName("content_type").HasMaxLength(256);
        message.Property(x => x.MessageType).HasColumnName("message_type");
        message.Property(x => x.Body).HasColumnName("body");
        message.Property(x => x.SerializedHeaders).HasColumnName("headers");
        message.Property(x => x.SerializedProperties).HasColumnName("properties");
        message.Property(x => x.ConversationId).HasColumnName("conversation_id");
        message.Property(x => x.CorrelationId).HasColumnName("correlation_id");
        message.Property(x => x.InitiatorId).HasColumnName("initiator_id");
        message.Property(x => x.RequestId).HasColumnName("request_id");
        message.Property(x => x.SourceAddress).HasColumnName("source_address").HasMaxLength(1024);
        message.Property(x => x.DestinationAddress).HasColumnName("destination_address").HasMaxLength(1024);
        message.Property(x => x.ResponseAddress).HasColumnName("response_address").HasMaxLength(1024);
        message.Property(x => x.FaultAddress).HasColumnName("fault_address").HasMaxLength(1024);
        message.Property(x => x.SentTime).HasColumnName("sent_time");
        message.Property(x => x.ExpirationTime).HasColumnName("expiration_time");
        // What the delivery service reads for a locked bus outbox, and what a consumer's outbox pass reads for its message.
        message.HasIndex(x => new { x.OutboxId, x.SequenceNumber }).IsUnique();
        message.HasIndex(x => new { x.InboxMessageId, x.InboxConsumerId, x.SequenceNumber }).IsUnique();
    }
}
