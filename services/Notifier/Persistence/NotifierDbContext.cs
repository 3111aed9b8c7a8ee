using Automation.Hosting;
using Automation.Messaging.Postgres;
using Microsoft.EntityFrameworkCore;

namespace Automation.Notifier.Persistence;

/// <summary>The Notifier service's tables, in its own schema: for now the inbox and outbox its consumers run behind.</summary>
public sealed class NotifierDbContext(DbContextOptions<NotifierDbContext> options) : DbContext(options)
{
    public const string Schema = "notifier";

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.AddPostgresInboxOutbox();
    }
}

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the service.</summary>
public sealed class NotifierDbContextDesignTimeFactory() : DesignTimeDbContextFactory<NotifierDbContext>(NotifierDbContext.Schema, options => new(options));
