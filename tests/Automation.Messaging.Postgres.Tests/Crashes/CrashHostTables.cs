using Automation.Messaging.Postgres.CrashHost;
using Automation.Testing;
using Npgsql;

namespace Automation.Messaging.Postgres.Tests.Crashes;

/// <summary>What the crash hosts left in their tables.</summary>
internal static class CrashHostTables
{
    /// <summary>How often each of <paramref name="orderIds"/> took effect (0 for an order that never did).</summary>
    public static async Task<IReadOnlyList<long>> EffectsAsync(this PostgresDatabase database, IEnumerable<Guid> orderIds) =>
        await QueryAsync(database, $"""
            SELECT count(e.id) FROM unnest($1::uuid[]) o(order_id)
            LEFT JOIN {CrashDbContext.Schema}.effects e ON e.order_id = o.order_id GROUP BY o.order_id
            """, orderIds.ToArray());

    /// <summary>Deliveries the inbox has seen, duplicates included.</summary>
    public static async Task<long> ReceivesAsync(this PostgresDatabase database) =>
        (await QueryAsync(database, $"SELECT coalesce(sum(receive_count), 0) FROM {CrashDbContext.Schema}.inbox_state"))[0];

    public static async Task<long> OutboxMessagesAsync(this PostgresDatabase database) =>
        (await QueryAsync(database, $"SELECT count(*) FROM {CrashDbContext.Schema}.outbox_message"))[0];

    private static async Task<List<long>> QueryAsync(PostgresDatabase database, string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        var values = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            values.Add(reader.GetInt64(0));
        }

        return values;
    }
}
