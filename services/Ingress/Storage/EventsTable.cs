using System.Text;
using Automation.Messaging.Postgres;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Automation.Ingress.Storage;

/// <summary>The one owner of the SQL of <c>ingress.events</c>: the group insert (deduplication is its unique index on
/// (source, event id), applied by the insert itself, never by a look-up before it), the look-up of an original, and the
/// retention statements (purge old bodies, delete old rows). Each statement runs on a connection of its own from the
/// pool.</summary>
public sealed class EventsTable(IServiceScopeFactory scopes)
{
    private const string InsertSql = """
        WITH input AS (
            SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::int[], $6::timestamptz[], $7::bytea[],
                                 $8::text[], $9::text[], $10::text[])
                AS i(id, source, event_id, type, version, received_at, body, scheme, webhook_id, status)),
        inserted AS (
            INSERT INTO ingress.events (id, source, event_id, type, version, received_at, body, scheme, webhook_id, status)
            SELECT id, source, event_id, type, version, received_at, body, scheme, webhook_id, status FROM input
            ON CONFLICT (source, event_id) DO NOTHING
            RETURNING id)
        """;

    // Per event: inserted (our id), or a duplicate whose original this statement can see. Neither when the original is
    // in the same statement or committed while the statement waited on the index: the caller looks those up afterwards.
    private const string OutcomeSql = """

        SELECT i.id, coalesce(n.id, e.id), n.id IS NOT NULL
        FROM input i
        LEFT JOIN inserted n ON n.id = i.id
        LEFT JOIN ingress.events e ON n.id IS NULL AND e.source = i.source AND e.event_id = i.event_id
        """;

    private const string FindSql = "SELECT id FROM ingress.events WHERE source = $1 AND event_id = $2";

    // Ids are UUIDv7 of the received time: "id < $1" is "received before $1's time", served by an index on id (the partial
    // ix_events_unpurged for the purge, the primary key for the deletion), oldest first. SKIP LOCKED lets several
    // instances run these at once without waiting on each other. "= ANY(ARRAY(…))" rather than "IN (…)": with IN, the
    // planner may hash the batch and scan the whole table to join it (seen on 100,000 rows); an array is looked up by key.
    private const string PurgeBodiesSql = """
        UPDATE ingress.events SET body = NULL WHERE id = ANY(ARRAY(
            SELECT id FROM ingress.events WHERE body IS NOT NULL AND id < $1 ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED))
        """;

    private const string DeleteSql = """
        DELETE FROM ingress.events WHERE id = ANY(ARRAY(
            SELECT id FROM ingress.events WHERE id < $1 ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED))
        """;

    /// <summary>Inserts the events and, for each one inserted, its outbox rows, in one statement (so one implicit
    /// transaction): each event and its messages commit together or not at all. Returns, by our id, the outcome of every
    /// event the statement could decide.</summary>
    public Task<Dictionary<Guid, StoreOutcome>> InsertAsync(IReadOnlyList<ReceivedEvent> rows, BusOutboxBatch outboxes) =>
        WithConnectionAsync(async connection =>
        {
            await using var command = new NpgsqlCommand { Connection = connection };
            AddEventParameters(command.Parameters, rows);
            var sql = new StringBuilder(InsertSql);
            if (outboxes.Count > 0)
            {
                outboxes.AppendTo(sql, command.Parameters, gate: "inserted", keyColumn: "id");
            }

            command.CommandText = sql.Append(OutcomeSql).ToString();
            // Two texts (with outboxes, or only recorded events), the same for every number of events: each prepared once
            // per physical connection and kept across pool rentals.
            await command.PrepareAsync();
            var outcomes = new Dictionary<Guid, StoreOutcome>(rows.Count);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                if (!reader.IsDBNull(1))
                {
                    outcomes[reader.GetGuid(0)] = new StoreOutcome(reader.GetGuid(1), IsDuplicate: !reader.GetBoolean(2));
                }
            }

            return outcomes;
        }, CancellationToken.None);

    /// <summary>Our id of (source, event id), if it is stored.</summary>
    public Task<Guid?> FindAsync(string source, string eventId, CancellationToken cancellationToken) =>
        WithConnectionAsync(async connection =>
        {
            await using var find = new NpgsqlCommand(FindSql, connection);
            find.Parameters.Add(new NpgsqlParameter<string> { TypedValue = source });
            find.Parameters.Add(new NpgsqlParameter<string> { TypedValue = eventId });
            return await find.ExecuteScalarAsync(cancellationToken) as Guid?;
        }, cancellationToken);

    /// <summary>Clears the stored bodies of at most <paramref name="limit"/> events received before
    /// <paramref name="receivedBefore"/>, oldest first, keeping their rows (so they still deduplicate); returns how many.</summary>
    public Task<int> PurgeBodiesAsync(DateTimeOffset receivedBefore, int limit, CancellationToken cancellationToken) =>
        ExecuteAsync(PurgeBodiesSql, receivedBefore, limit, cancellationToken);

    /// <summary>Deletes at most <paramref name="limit"/> events received before <paramref name="receivedBefore"/>, oldest
    /// first; a later delivery of one of them is a new event. Returns how many.</summary>
    public Task<int> DeleteAsync(DateTimeOffset receivedBefore, int limit, CancellationToken cancellationToken) =>
        ExecuteAsync(DeleteSql, receivedBefore, limit, cancellationToken);

    /// <summary>The smallest UUIDv7 of <paramref name="time"/>'s millisecond: every id made before it sorts lower.</summary>
    internal static Guid FirstIdOf(DateTimeOffset time)
    {
        Span<byte> bytes = stackalloc byte[16];
        Guid.CreateVersion7(time).TryWriteBytes(bytes, bigEndian: true, out _);
        bytes[6..].Clear();
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>Drops the pool's idle connections after a failure: when the database went away they are all dead, and
    /// each would otherwise fail one more request after it came back.</summary>
    public void ForgetIdleConnections()
    {
        using var scope = scopes.CreateScope();
        NpgsqlConnection.ClearPool((NpgsqlConnection)scope.ServiceProvider.GetRequiredService<IngressDbContext>().Database.GetDbConnection());
    }

    private Task<int> ExecuteAsync(string sql, DateTimeOffset receivedBefore, int limit, CancellationToken cancellationToken) =>
        WithConnectionAsync(async connection =>
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = FirstIdOf(receivedBefore) });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    private async Task<T> WithConnectionAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IngressDbContext>();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            return await work((NpgsqlConnection)db.Database.GetDbConnection());
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static void AddEventParameters(NpgsqlParameterCollection parameters, IReadOnlyList<ReceivedEvent> rows)
    {
        Add(parameters, rows.Select(row => row.Id), NpgsqlDbType.Uuid);
        Add(parameters, rows.Select(row => row.Source), NpgsqlDbType.Text);
        Add(parameters, rows.Select(row => row.EventId), NpgsqlDbType.Text);
        Add(parameters, rows.Select(row => row.Type), NpgsqlDbType.Text);
        Add(parameters, rows.Select(row => row.Version), NpgsqlDbType.Integer);
        Add(parameters, rows.Select(row => row.ReceivedAt.ToUniversalTime()), NpgsqlDbType.TimestampTz);
        Add(parameters, rows.Select(row => row.Body), NpgsqlDbType.Bytea);
        Add(parameters, rows.Select(row => row.Scheme), NpgsqlDbType.Text);
        Add(parameters, rows.Select(row => row.WebhookId), NpgsqlDbType.Text);
        Add(parameters, rows.Select(row => row.Status), NpgsqlDbType.Text);
    }

    private static void Add<T>(NpgsqlParameterCollection parameters, IEnumerable<T> values, NpgsqlDbType type) =>
        parameters.Add(new NpgsqlParameter<T[]> { TypedValue = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | type });
}

/// <summary>What storing an event came to: our id for it, and whether that id is an earlier delivery's.</summary>
public readonly record struct StoreOutcome(Guid Id, bool IsDuplicate);
