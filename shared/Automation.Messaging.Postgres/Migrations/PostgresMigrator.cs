using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Automation.Messaging.Postgres;

/// <summary>Applies a DbContext's EF Core migrations while holding a PostgreSQL advisory lock, so several instances starting
/// at once migrate one after the other (the later ones find nothing left to do). Creates the database first when it does
/// not exist yet.</summary>
public static class PostgresMigrator
{
    public static async Task MigrateAsync<TDbContext>(IServiceProvider services, CancellationToken cancellationToken)
        where TDbContext : DbContext
    {
        await using var scope = services.CreateAsyncScope();
        var dbContext = scope.ServiceProvider.GetRequiredService<TDbContext>();
        await EnsureDatabaseExistsAsync(dbContext, cancellationToken);

        // The lock lives on a connection of its own, outside the pool: closing it releases the lock whatever happens, and
        // no pooled connection (which our services do not reset on return) can ever go back to the pool holding it.
        var lockConnection = new NpgsqlConnectionStringBuilder(dbContext.Database.GetConnectionString()) { Pooling = false };
        await using var connection = new NpgsqlConnection(lockConnection.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var takeLock = new NpgsqlCommand("SELECT pg_advisory_lock($1)", connection) { Parameters = { new() { Value = LockKey(dbContext) } } })
        {
            await takeLock.ExecuteNonQueryAsync(cancellationToken);
        }

        await dbContext.Database.MigrateAsync(cancellationToken);
    }

    private static async Task EnsureDatabaseExistsAsync(DbContext dbContext, CancellationToken cancellationToken)
    {
        var creator = dbContext.GetService<IRelationalDatabaseCreator>();
        if (await creator.ExistsAsync(cancellationToken))
        {
            return;
        }

        try
        {
            await creator.CreateAsync(cancellationToken);
        }
        catch (PostgresException exception) when (exception.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Another instance created it first.
        }
    }

    /// <summary>One lock per schema (or per DbContext type without one): services sharing a database migrate side by side.</summary>
    private static long LockKey(DbContext dbContext)
    {
        var name = "automation-migrations:" + (dbContext.Model.GetDefaultSchema() ?? dbContext.GetType().FullName);
        return BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes(name)), 0);
    }
}
