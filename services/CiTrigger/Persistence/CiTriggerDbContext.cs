using Automation.Hosting;
using Automation.Messaging.Postgres;
using Microsoft.EntityFrameworkCore;

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
public sealed class CiTriggerDbContextDesignTimeFactory() : DesignTimeDbContextFactory<CiTriggerDbContext>(CiTriggerDbContext.Schema, options => new(options));
