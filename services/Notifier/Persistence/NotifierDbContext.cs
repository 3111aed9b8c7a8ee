using Automation.Connectors;
using Automation.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Automation.Notifier.Persistence;

/// <summary>The Notifier service's tables, in its own schema: the connector tables (inbox and outbox, the durable
/// scheduler's messages for delayed redelivery, and the outcome of each step it sent).</summary>
public sealed class NotifierDbContext(DbContextOptions<NotifierDbContext> options) : DbContext(options)
{
    public const string Schema = "notifier";

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.AddConnectorTables();
    }
}

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the service.</summary>
public sealed class NotifierDbContextDesignTimeFactory() : DesignTimeDbContextFactory<NotifierDbContext>(NotifierDbContext.Schema, options => new(options));
