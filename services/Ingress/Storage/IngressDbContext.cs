using Automation.Ingress.Envelopes;
using Automation.Ingress.Signatures;
using Automation.Hosting;
using Automation.Messaging.Postgres;
using Microsoft.EntityFrameworkCore;

namespace Automation.Ingress.Storage;

/// <summary>The Ingress' tables, in its own schema <c>ingress</c>: the events and the bus outbox.</summary>
public sealed class IngressDbContext(DbContextOptions<IngressDbContext> options) : DbContext(options)
{
    public const string Schema = "ingress";
    public DbSet<ReceivedEvent> Events => Set<ReceivedEvent>();

    /// <summary>What the Ingress adds to the options every service's DbContext gets: a pooled DbContext cannot change its
    /// options in <c>OnConfiguring</c>, so the composition and the design-time factory both call this.</summary>
    public static void Configure(DbContextOptionsBuilder options) => options.UseSnakeCaseNamingConvention();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.AddPostgresInboxOutbox();
        modelBuilder.Entity<ReceivedEvent>(events =>
        {
            events.ToTable("events");
            events.HasKey(e => e.Id);
            events.Property(e => e.Id).ValueGeneratedNever();
            events.Property(e => e.Source).HasMaxLength(100);
            events.Property(e => e.EventId).HasMaxLength(EnvelopeReader.MaxEventIdLength);
            events.Property(e => e.Type).HasMaxLength(EnvelopeReader.MaxTypeLength);
            events.Property(e => e.Scheme).HasMaxLength(40);
            events.Property(e => e.WebhookId).HasMaxLength(StandardWebhooksVerifier.MaxWebhookIdLength);
            events.Property(e => e.Status).HasMaxLength(20);
            // The deduplication key: a second delivery of (source, event id) can never be stored, whatever the timing.
            events.HasIndex(e => new { e.Source, e.EventId }).IsUnique();
            // Ids are UUIDv7 of the received time, so the primary key orders rows by age and serves the deletion of expired
            // rows; this index holds only the rows whose body is still stored, so the purge never walks purged rows.
            events.HasIndex(e => e.Id).HasFilter("body IS NOT NULL").HasDatabaseName("ix_events_unpurged");
        });
    }
}
