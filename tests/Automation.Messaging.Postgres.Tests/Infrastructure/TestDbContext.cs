using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Automation.Messaging.Postgres.Tests.Infrastructure;

/// <summary>An application's DbContext as the library meets it: its own rows plus the inbox/outbox tables, in its own schema.</summary>
public sealed class TestDbContext(DbContextOptions<TestDbContext> options) : DbContext(options)
{
    public const string Schema = "compliance";

    public DbSet<Order> Orders => Set<Order>();

    public DbSet<ConsumedRecord> ConsumedRecords => Set<ConsumedRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.Entity<Order>(order =>
        {
            order.ToTable("orders");
            order.Property(x => x.Id).HasColumnName("id");
            order.Property(x => x.Note).HasColumnName("note");
        });
        modelBuilder.Entity<ConsumedRecord>(record =>
        {
            record.ToTable("consumed_records");
            record.Property(x => x.Id).HasColumnName("id");
            record.Property(x => x.OrderId).HasColumnName("order_id");
            record.HasIndex(x => x.OrderId);
        });
        modelBuilder.AddPostgresInboxOutbox();
    }

    public static void Configure(DbContextOptionsBuilder options, string connectionString, bool retryOnFailure = false) =>
        options.UseNpgsql(connectionString, npgsql =>
        {
            npgsql.MigrationsHistoryTable("__ef_migrations_history", Schema);
            if (retryOnFailure)
            {
                npgsql.EnableRetryOnFailure(maxRetryCount: 2, maxRetryDelay: TimeSpan.FromMilliseconds(200), errorCodesToAdd: null);
            }
        });
}

public sealed class Order
{
    public Guid Id { get; set; }

    public string Note { get; set; } = "";
}

/// <summary>What a consumer wrote: one row per run of its body, so a second run would show.</summary>
public sealed class ConsumedRecord
{
    public Guid Id { get; set; }

    public Guid OrderId { get; set; }
}

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without a host.</summary>
public sealed class TestDbContextDesignTimeFactory : IDesignTimeDbContextFactory<TestDbContext>
{
    public TestDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<TestDbContext>();
        TestDbContext.Configure(options, "Host=127.0.0.1");
        return new TestDbContext(options.Options);
    }
}
