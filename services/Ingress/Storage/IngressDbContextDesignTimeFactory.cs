using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Automation.Ingress.Storage;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the service (no database needed).</summary>
public sealed class IngressDbContextDesignTimeFactory : IDesignTimeDbContextFactory<IngressDbContext>
{
    public IngressDbContext CreateDbContext(string[] args) =>
        new(IngressApplication.ConfigureDbContext(new DbContextOptionsBuilder<IngressDbContext>(), "Host=localhost").Options);
}
