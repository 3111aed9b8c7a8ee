using Automation.Messaging.Postgres.Tests.Infrastructure;
using Automation.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Automation.Messaging.Postgres.Tests;

/// <summary>Migrations under the advisory lock: several instances at once, a database that does not exist yet, and the
/// <c>migrate</c> command's exit codes.</summary>
public sealed class MigrationTests : IAsyncLifetime
{
    private readonly string _databaseName = "test_migrate_" + Guid.NewGuid().ToString("N")[..12];
    private string _serverConnectionString = "";

    private string ConnectionString => new NpgsqlConnectionStringBuilder(_serverConnectionString) { Database = _databaseName }.ConnectionString;

    [Fact]
    public async Task Several_instances_migrating_a_database_that_does_not_exist_yet_all_succeed_and_apply_each_migration_once()
    {
        var instances = Enumerable.Range(0, 5).Select(_ => BuildHost(ConnectionString)).ToList();

        await Task.WhenAll(instances.Select(host => PostgresMigrator.MigrateAsync<TestDbContext>(host.Services, TestContext.Current.CancellationToken)));

        Assert.Equal(1L, await ScalarAsync($"SELECT count(*) FROM {TestDbContext.Schema}.__ef_migrations_history"));
        Assert.Equal(3L, await ScalarAsync(
            $"SELECT count(*) FROM information_schema.tables WHERE table_schema = '{TestDbContext.Schema}' AND table_name IN ('inbox_state', 'outbox_state', 'outbox_message')"));
        instances.ForEach(host => host.Dispose());
    }

    [Fact]
    public async Task The_migrate_command_applies_the_migrations_and_returns_zero()
    {
        using var host = BuildHost(ConnectionString);

        var exitCode = await host.RunOrMigrateAsync([DatabaseMigrationExtensions.MigrateCommand]);

        Assert.Equal(0, exitCode);
        Assert.Equal(1L, await ScalarAsync($"SELECT count(*) FROM {TestDbContext.Schema}.__ef_migrations_history"));
    }

    [Fact]
    public async Task The_migrate_command_returns_non_zero_when_the_database_is_unreachable()
    {
        await using var closed = new TcpProxy("127.0.0.1", 9);
        closed.Cut();
        using var host = BuildHost(new NpgsqlConnectionStringBuilder(ConnectionString) { Port = closed.Port, Timeout = 3 }.ConnectionString);

        Assert.Equal(1, await host.RunOrMigrateAsync([DatabaseMigrationExtensions.MigrateCommand]));
    }

    private static IHost BuildHost(string connectionString)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddDbContext<TestDbContext>(options => TestDbContext.Configure(options, connectionString));
        builder.Services.AddPostgresMigrations<TestDbContext>(migrateOnStart: false);
        return builder.Build();
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask InitializeAsync() => _serverConnectionString = (await TestInfrastructure.GetServersAsync()).PostgresConnectionString;

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_serverConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_databaseName}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
