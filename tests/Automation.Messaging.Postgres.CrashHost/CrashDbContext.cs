using Microsoft.EntityFrameworkCore;

namespace Automation.Messaging.Postgres.CrashHost;

/// <summary>The crash host's database: what its consumer did (one effect row per run of its body) and the inbox/outbox.</summary>
public sealed class CrashDbContext(DbContextOptions<CrashDbContext> options) : DbContext(options)
{
    public const string Schema = "crash_host";

    public DbSet<CrashEffect> Effects => Set<CrashEffect>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.Entity<CrashEffect>(effect =>
        {
            effect.ToTable("effects");
            effect.Property(x => x.Id).HasColumnName("id");
            effect.Property(x => x.OrderId).HasColumnName("order_id");
        });
        modelBuilder.AddPostgresInboxOutbox();
    }
}

/// <summary>One run of the consumer's body for an order; no unique key, so a second run would show.</summary>
public sealed class CrashEffect
{
    public Guid Id { get; set; }

    public Guid OrderId { get; set; }
}
