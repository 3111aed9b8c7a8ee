using Automation.Hosting;
using Automation.Messaging.Postgres;
using Microsoft.EntityFrameworkCore;

namespace Automation.CrmSync.Persistence;

/// <summary>The CrmSync service's tables, in its own schema: for now the inbox and outbox its consumers run behind.</summary>
public sealed class CrmSyncDbContext(DbContextOptions<CrmSyncDbContext> options) : DbContext(options)
{
    public const string Schema = "crm_sync";

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.AddPostgresInboxOutbox();
    }
}

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the service.</summary>
public sealed class CrmSyncDbContextDesignTimeFactory() : DesignTimeDbContextFactory<CrmSyncDbContext>(CrmSyncDbContext.Schema, options => new(options));
