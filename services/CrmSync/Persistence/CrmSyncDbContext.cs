using Automation.Connectors;
using Automation.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Automation.CrmSync.Persistence;

/// <summary>The CrmSync service's tables, in its own schema: those of every connector service (inbox, outbox, scheduled
/// redeliveries, step outcomes).</summary>
public sealed class CrmSyncDbContext(DbContextOptions<CrmSyncDbContext> options) : DbContext(options)
{
    public const string Schema = "crm_sync";

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.AddConnectorTables();
    }
}

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the service.</summary>
public sealed class CrmSyncDbContextDesignTimeFactory() : DesignTimeDbContextFactory<CrmSyncDbContext>(CrmSyncDbContext.Schema, options => new(options));
