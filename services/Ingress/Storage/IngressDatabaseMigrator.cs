using Microsoft.EntityFrameworkCore;

namespace Automation.Ingress.Storage;

/// <summary>Brings the <c>ingress</c> schema up to date before the service takes requests, so it never serves on a
/// schema older than its code.</summary>
public sealed class IngressDatabaseMigrator(IServiceScopeFactory scopes) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IngressDbContext>().Database.MigrateAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
