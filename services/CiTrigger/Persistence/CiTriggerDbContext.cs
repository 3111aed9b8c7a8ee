using Automation.Messaging.Postgres;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Automation.CiTrigger.Persistence;

/// <summary>The CiTrigger service's tables, in its own schema: for now the inbox and outbox its consumers run behind.</summary>
public sealed class CiTriggerDbContext(DbContextOptions<CiTriggerDbContext> options) : DbContext(options)
{
    public const string Schema = "ci_trigger";

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.AddPostgresInboxOutbox();
    }
}

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the service.</summary>
public sealed class CiTriggerDbContextDesignTimeFactory : IDesignTimeDbContextFactory<CiTriggerDbContext>
{
    public CiTriggerDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<CiTriggerDbContext>()
        .UseNpgsql("Host=127.0.0.1", npgsql => npgsql.MigrationsHistoryTable(Automation.Messaging.DatabaseExtensions.MigrationsHistoryTable, CiTriggerDbContext.Schema))
        .Options);
}
