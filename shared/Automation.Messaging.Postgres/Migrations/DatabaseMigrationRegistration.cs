using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Automation.Messaging.Postgres;

/// <summary>One DbContext whose migrations the host applies, at start and/or through the <c>migrate</c> command.</summary>
public interface IDatabaseMigration
{
    string Name { get; }

    Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken);
}

internal sealed class DbContextMigration<TDbContext> : IDatabaseMigration
    where TDbContext : DbContext
{
    public string Name => typeof(TDbContext).Name;

    public Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        PostgresMigrator.MigrateAsync<TDbContext>(services, cancellationToken);
}

/// <summary>Applies the migrations before any hosted service starts (the bus, the delivery service), so consumers never
/// meet a missing table.</summary>
internal sealed partial class MigrateOnStartService(IEnumerable<IDatabaseMigration> migrations, IServiceProvider services,
    ILogger<MigrateOnStartService> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        foreach (var migration in migrations)
        {
            await migration.MigrateAsync(services, cancellationToken);
            LogMigrated(migration.Name);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Database of {DbContext} is migrated")]
    private partial void LogMigrated(string dbContext);
}

public static class DatabaseMigrationExtensions
{
    /// <summary>The first argument that makes <see cref="RunOrMigrateAsync"/> migrate and exit instead of serving.</summary>
    public const string MigrateCommand = "migrate";

    /// <summary>Registers <typeparamref name="TDbContext"/>'s migrations for the <c>migrate</c> command and, when
    /// <paramref name="migrateOnStart"/>, applies them as the host starts.</summary>
    public static IServiceCollection AddPostgresMigrations<TDbContext>(this IServiceCollection services, bool migrateOnStart)
        where TDbContext : DbContext
    {
        services.AddSingleton<IDatabaseMigration, DbContextMigration<TDbContext>>();
        if (migrateOnStart && !services.Any(service => service.ImplementationType == typeof(MigrateOnStartService)))
        {
            // First among the hosted services, whose start order is their registration order.
            services.Insert(0, ServiceDescriptor.Singleton<IHostedService, MigrateOnStartService>());
        }

        return services;
    }

    /// <summary>With <c>migrate</c> as the first argument: applies every registered migration and returns 0, or prints why it
    /// failed and returns 1, without starting the service. Otherwise runs the host until it stops and returns 0.</summary>
    public static async Task<int> RunOrMigrateAsync(this IHost host, string[] args)
    {
        if (args.Length == 0 || !string.Equals(args[0], MigrateCommand, StringComparison.OrdinalIgnoreCase))
        {
            await host.RunAsync();
            return 0;
        }

        foreach (var migration in host.Services.GetServices<IDatabaseMigration>())
        {
            try
            {
                await migration.MigrateAsync(host.Services, CancellationToken.None);
                await Console.Out.WriteLineAsync($"migrate: {migration.Name} is up to date");
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                var cause = exception.GetBaseException();
                var reason = cause == exception ? exception.Message : $"{exception.Message} ({cause.Message})";
                await Console.Error.WriteLineAsync($"migrate: migrating {migration.Name} failed: {reason}");
                return 1;
            }
        }

        return 0;
    }
}
