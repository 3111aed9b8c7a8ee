using Automation.Messaging.Postgres;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Automation.Bench.Messaging;

/// <summary>A service's DbContext as the library meets it: the application's rows plus the inbox/outbox tables, in its
/// own schema.</summary>
public sealed class BenchDbContext(DbContextOptions<BenchDbContext> options) : DbContext(options)
{
    public const string Schema = "bench";

    public DbSet<AcceptedRequest> Requests => Set<AcceptedRequest>();

    public DbSet<ConsumedWork> ConsumedWork => Set<ConsumedWork>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.Entity<AcceptedRequest>(request =>
        {
            request.ToTable("requests");
            request.Property(x => x.Id).HasColumnName("id");
            request.Property(x => x.Received).HasColumnName("received");
            request.Property(x => x.Body).HasColumnName("body");
        });
        modelBuilder.Entity<ConsumedWork>(work =>
        {
            work.ToTable("consumed_work");
            work.Property(x => x.Id).HasColumnName("id");
            work.Property(x => x.WorkId).HasColumnName("work_id");
            work.Property(x => x.Consumed).HasColumnName("consumed");
        });
        modelBuilder.AddPostgresInboxOutbox();
    }

    /// <summary>The bench needs the tables, not a migration history: create them from the model.</summary>
    public static async Task CreateTablesAsync(string connectionString)
    {
        await using var dbContext = new BenchDbContext(new DbContextOptionsBuilder<BenchDbContext>().UseNpgsql(connectionString).Options);
        await dbContext.GetService<IRelationalDatabaseCreator>().CreateTablesAsync();
    }
}

/// <summary>What a web request stores beside the message it publishes (the Ingress's event row).</summary>
public sealed class AcceptedRequest
{
    public Guid Id { get; set; }

    public DateTime Received { get; set; }

    public string Body { get; set; } = "";
}

/// <summary>What a consumer behind the inbox writes (a connector's recorded result).</summary>
public sealed class ConsumedWork
{
    public Guid Id { get; set; }

    public Guid WorkId { get; set; }

    public DateTime Consumed { get; set; }
}
