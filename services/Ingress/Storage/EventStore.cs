using Automation.Contracts;
using Automation.Messaging.Postgres;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Automation.Ingress.Storage;

/// <summary>Stores received events. Deduplication is the unique index on (source, event id), applied by the insert
/// itself (<c>ON CONFLICT DO NOTHING</c>), never by a look-up before it: two concurrent deliveries of one event cannot
/// both be stored, and the second learns the first one's id.</summary>
public sealed class EventStore(IngressDbContext db, IPublishEndpoint publisher, IBusOutboxRows outboxRows, EventWriter writer)
{
    private const string InsertEventSql = """
        WITH inserted AS (
            INSERT INTO ingress.events (id, source, event_id, type, version, received_at, body, scheme, webhook_id, status)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            ON CONFLICT (source, event_id) DO NOTHING
            RETURNING id)
        """;

    // Inserted (our new id) or a duplicate whose original this statement can see. A twin committed while the statement
    // waited on the index is not in its snapshot: FindSql reads it then.
    private const string OutcomeSql = """

        SELECT id, TRUE FROM inserted
        UNION ALL
        SELECT id, FALSE FROM ingress.events WHERE source = $2 AND event_id = $3
        """;

    private const string FindSql = "SELECT id FROM ingress.events WHERE source = $1 AND event_id = $2";

    private static readonly string RecordSql = InsertEventSql + OutcomeSql;

    /// <summary>Stores an event to deliver and its outgoing message, or finds the original when (source, event id) is
    /// already stored; in that case nothing is written and nothing is published. The event row and the bus outbox rows
    /// are written by one statement (<see cref="EventWriter"/>, which may carry other requests' events too), so they commit
    /// together or not at all, and the answer comes after that commit.</summary>
    public async Task<StoreOutcome> AcceptAsync(ReceivedEvent row, IWebhookEvent webhookEvent, CancellationToken cancellationToken)
    {
        // The message id is our event id, so every consumer's inbox sees a redelivery as the same message.
        await publisher.Publish(webhookEvent, webhookEvent.GetType(), Pipe.Execute<PublishContext>(context => context.MessageId = row.Id),
            cancellationToken);
        var outbox = outboxRows.TakeUnsaved() ?? throw new InvalidOperationException("The publish reached no bus outbox.");
        return await writer.WriteAsync(row, outbox, cancellationToken);
    }

    /// <summary>The original of (source, event id) if it is stored, without storing anything: for when nothing new may
    /// be accepted (the outbox is past its backlog limit) but a duplicate can still be told it is one.</summary>
    public Task<Guid?> FindAsync(string source, string eventId, CancellationToken cancellationToken) =>
        WithConnectionAsync(connection => FindAsync(connection, source, eventId, cancellationToken), cancellationToken);

    /// <summary>Records an event that no subscription wants; it is never published. A repeat finds the original.</summary>
    public Task<StoreOutcome> RecordIgnoredAsync(ReceivedEvent row, CancellationToken cancellationToken) =>
        WithConnectionAsync(connection => InsertOrFindAsync(connection, row, cancellationToken), cancellationToken);

    /// <summary>Drops the pool's idle connections after a failure: when the database went away they are all dead, and
    /// each would otherwise fail one more request after it came back.</summary>
    public void ForgetIdleConnections() => NpgsqlConnection.ClearPool((NpgsqlConnection)db.Database.GetDbConnection());

    private async Task<T> WithConnectionAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
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

    private static async Task<StoreOutcome> InsertOrFindAsync(NpgsqlConnection connection, ReceivedEvent row, CancellationToken cancellationToken)
    {
        while (true)
        {
            await using (var insert = new NpgsqlCommand(RecordSql, connection))
            {
                AddEventParameters(insert.Parameters, row);
                // Prepared once per physical connection (Npgsql keeps it across pool rentals): no parse or plan per request.
                await insert.PrepareAsync(cancellationToken);
                await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
                if (await reader.ReadAsync(cancellationToken))
                {
                    return new StoreOutcome(reader.GetGuid(0), IsDuplicate: !reader.GetBoolean(1));
                }
            }

            if (await FindAsync(connection, row.Source, row.EventId, cancellationToken) is { } original)
            {
                return new StoreOutcome(original, IsDuplicate: true);
            }

            // The original was purged between the two statements (retention): the insert can now succeed.
        }
    }

    internal static async Task<Guid?> FindAsync(NpgsqlConnection connection, string source, string eventId, CancellationToken cancellationToken)
    {
        await using var find = new NpgsqlCommand(FindSql, connection);
        find.Parameters.Add(new NpgsqlParameter<string> { TypedValue = source });
        find.Parameters.Add(new NpgsqlParameter<string> { TypedValue = eventId });
        return await find.ExecuteScalarAsync(cancellationToken) as Guid?;
    }

    private static void AddEventParameters(NpgsqlParameterCollection parameters, ReceivedEvent row)
    {
        parameters.Add(new NpgsqlParameter<Guid> { TypedValue = row.Id });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = row.Source });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = row.EventId });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = row.Type });
        parameters.Add(new NpgsqlParameter<int> { TypedValue = row.Version });
        parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = row.ReceivedAt.ToUniversalTime() });
        parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = row.Body, NpgsqlDbType = NpgsqlDbType.Bytea });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = row.Scheme });
        parameters.Add(new NpgsqlParameter<string?> { TypedValue = row.WebhookId, NpgsqlDbType = NpgsqlDbType.Varchar });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = row.Status });
    }
}

/// <summary>What storing an event came to: our id for it, and whether that id is an earlier delivery's.</summary>
public readonly record struct StoreOutcome(Guid Id, bool IsDuplicate);
