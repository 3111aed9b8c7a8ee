using Automation.Connectors;
using Automation.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Automation.CiTrigger.Persistence;

/// <summary>The CiTrigger service's tables, in its own schema: the connector tables (inbox and outbox, its scheduler's
/// messages, step outcomes).</summary>
public sealed class CiTriggerDbContext(DbContextOptions<CiTriggerDbContext> options) : DbContext(options)
{
    public const string Schema = "ci_trigger";

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.AddConnectorTables();
    }
}

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the service.</summary>
public sealed class CiTriggerDbContextDesignTimeFactory() : DesignTimeDbContextFactory<CiTriggerDbContext>(CiTriggerDbContext.Schema, options => new(options));
