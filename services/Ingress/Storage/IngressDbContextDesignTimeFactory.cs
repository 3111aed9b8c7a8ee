using Automation.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Automation.Ingress.Storage;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the service (no database needed).</summary>
public sealed class IngressDbContextDesignTimeFactory : IDesignTimeDbContextFactory<IngressDbContext>
{
    public IngressDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<IngressDbContext>()
            .UseNpgsql("Host=localhost", npgsql => npgsql.MigrationsHistoryTable(DatabaseExtensions.MigrationsHistoryTable, IngressDbContext.Schema));
        IngressDbContext.Configure(options);
        return new IngressDbContext(options.Options);
    }
}
