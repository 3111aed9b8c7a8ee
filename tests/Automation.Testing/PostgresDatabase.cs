using Npgsql;

namespace Automation.Testing;

/// <summary>A database of its own for one test class (use it as a class fixture), dropped when the class is done.</summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    public const string NamePrefix = "test_";

    public string Name { get; } = NamePrefix + Guid.NewGuid().ToString("N")[..16];

    public string ConnectionString { get; private set; } = "";

    private string _serverConnectionString = "";

    public async ValueTask InitializeAsync()
    {
        var servers = await TestInfrastructure.GetServersAsync();
        _serverConnectionString = servers.PostgresConnectionString;
        await using (var connection = new NpgsqlConnection(_serverConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{Name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(_serverConnectionString) { Database = Name }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        if (ConnectionString.Length == 0)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_serverConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
