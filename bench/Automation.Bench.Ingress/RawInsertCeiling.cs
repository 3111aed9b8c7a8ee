using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace Automation.Bench.Ingress;

/// <summary>The ceiling the Ingress is compared with: single-row INSERTs (one transaction each) into a table shaped
/// like the events table, with its unique index, on the same PostgreSQL, from the same number of connections.</summary>
public static class RawInsertCeiling
{
    private const string Database = "automation_bench";

    public static async Task<RawInsertResult> RunAsync(string connectionString, int concurrency, TimeSpan warmup, TimeSpan duration, int bodySize)
    {
        var benchConnection = await PrepareTableAsync(connectionString);
        await using var dataSource = new NpgsqlDataSourceBuilder(
            new NpgsqlConnectionStringBuilder(benchConnection) { MaxPoolSize = concurrency + 4 }.ConnectionString).Build();
        var body = new byte[bodySize];
        Random.Shared.NextBytes(body);

        await InsertForAsync(dataSource, concurrency, warmup, body);
        var started = Stopwatch.GetTimestamp();
        var recorder = await InsertForAsync(dataSource, concurrency, duration, body);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new RawInsertResult(Math.Round(elapsed, 2), Math.Round(recorder.Latency.TotalCount / elapsed, 1), recorder.Summarize());
    }

    private static async Task<LatencyRecorder> InsertForAsync(NpgsqlDataSource dataSource, int concurrency, TimeSpan length, byte[] body)
    {
        var end = Stopwatch.GetTimestamp() + (long)(length.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            var recorder = new LatencyRecorder();
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var insert = new NpgsqlCommand(
                "INSERT INTO raw_events (id, source, event_id, received_at, body) VALUES ($1, $2, $3, $4, $5)", connection);
            var id = new NpgsqlParameter<Guid>();
            var eventId = new NpgsqlParameter<string>();
            insert.Parameters.Add(id);
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = "bench" });
            insert.Parameters.Add(eventId);
            var receivedAt = new NpgsqlParameter<DateTimeOffset>();
            insert.Parameters.Add(receivedAt);
            insert.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = body, NpgsqlDbType = NpgsqlDbType.Bytea });
            await insert.PrepareAsync();
            while (Stopwatch.GetTimestamp() < end)
            {
                var started = Stopwatch.GetTimestamp();
                id.TypedValue = Guid.CreateVersion7();
                eventId.TypedValue = id.TypedValue.ToString("N");
                receivedAt.TypedValue = DateTimeOffset.UtcNow;
                await insert.ExecuteNonQueryAsync();
                recorder.Record(200, started);
            }

            return recorder;
        });
        return LatencyRecorder.Merge(await Task.WhenAll(workers));
    }

    private static async Task<string> PrepareTableAsync(string connectionString)
    {
        await using (var server = new NpgsqlConnection(connectionString))
        {
            await server.OpenAsync();
            await using var exists = new NpgsqlCommand($"SELECT 1 FROM pg_database WHERE datname = '{Database}'", server);
            if (await exists.ExecuteScalarAsync() is null)
            {
                await using var create = new NpgsqlCommand($"CREATE DATABASE {Database}", server);
                await create.ExecuteNonQueryAsync();
            }
        }

        var benchConnection = new NpgsqlConnectionStringBuilder(connectionString) { Database = Database }.ConnectionString;
        await using var connection = new NpgsqlConnection(benchConnection);
        await connection.OpenAsync();
        await using var table = new NpgsqlCommand("""
            DROP TABLE IF EXISTS raw_events;
            CREATE TABLE raw_events (
                id uuid PRIMARY KEY,
                source varchar(100) NOT NULL,
                event_id varchar(200) NOT NULL,
                received_at timestamptz NOT NULL,
                body bytea NOT NULL,
                UNIQUE (source, event_id));
            """, connection);
        await table.ExecuteNonQueryAsync();
        return benchConnection;
    }
}

public sealed record RawInsertResult(double DurationSeconds, double InsertsPerSecond, LatencySummary Latency);
