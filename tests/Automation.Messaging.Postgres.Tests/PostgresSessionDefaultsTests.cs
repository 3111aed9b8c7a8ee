using Automation.Testing;
using Npgsql;

namespace Automation.Messaging.Postgres.Tests;

public sealed class PostgresSessionDefaultsTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task A_connection_with_the_defaults_has_its_idle_transactions_ended_by_the_server_and_is_kept_alive()
    {
        var connectionString = PostgresSessionDefaults.Apply(database.ConnectionString);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var show = new NpgsqlCommand("SHOW idle_in_transaction_session_timeout", connection);

        Assert.Equal("1min", await show.ExecuteScalarAsync(TestContext.Current.CancellationToken));
        Assert.Equal(PostgresSessionDefaults.KeepAliveSeconds, new NpgsqlConnectionStringBuilder(connectionString).KeepAlive);
    }

    [Fact]
    public void Settings_the_connection_string_names_are_left_as_they_are_and_other_options_kept()
    {
        var applied = new NpgsqlConnectionStringBuilder(PostgresSessionDefaults.Apply(
            "Host=db;Keepalive=5;Options=-c idle_in_transaction_session_timeout=5s -c search_path=app"));
        var added = new NpgsqlConnectionStringBuilder(PostgresSessionDefaults.Apply("Host=db;Options=-c search_path=app"));

        Assert.Equal(5, applied.KeepAlive);
        Assert.Equal("-c idle_in_transaction_session_timeout=5s -c search_path=app", applied.Options);
        Assert.Equal("-c search_path=app -c idle_in_transaction_session_timeout=60000", added.Options);
    }
}
