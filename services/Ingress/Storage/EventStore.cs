using Automation.Contracts;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Automation.Ingress.Storage;

/// <summary>Stores received events. Deduplication is the unique index on (source, event id), applied by the insert
/// itself (<c>ON CONFLICT DO NOTHING</c>) inside the transaction, never by a look-up before it: two concurrent
/// deliveries of one event cannot both be stored, and the second learns the first one's id.</summary>
public sealed class EventStore(IngressDbContext db, IPublishEndpoint publisher)
{
    // One statement for the usual cases: inserted (our new id) or a duplicate whose original this statement can see.
    // A twin committed while this statement waited on the index is not in its snapshot: FindSql reads it then.
    private const string InsertSql = """
        WITH inserted AS (
            INSERT INTO ingress.events (id, source, event_id, type, version, received_at, body, scheme, webhook_id, status)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            ON CONFLICT (source, event_id) DO NOTHING
            RETURNING id)
        SELECT id, TRUE FROM inserted
        UNION ALL
        SELECT id, FALSE FROM ingress.events WHERE source = $2 AND event_id = $3
        """;

    private const string FindSql = "SELECT id FROM ingress.events WHERE source = $1 AND event_id = $2";

    /// <summary>Stores an event to deliver and its outgoing message in one transaction, or finds the original when
    /// (source, event id) is already stored; in that case nothing is written and nothing is published.</summary>
    public async Task<StoreOutcome> AcceptAsync(ReceivedEvent row, IWebhookEvent webhookEvent, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var outcome = await InsertOrFindAsync(row, transaction, cancellationToken);
        if (outcome.IsDuplicate)
        {
            return outcome;
        }

        // Published through the request's scoped endpoint, which the bus outbox turns into rows of this DbContext:
        // SaveChanges writes them in this transaction, and they reach RabbitMQ only after the commit. The message id
        // is our event id, so every consumer's inbox sees a redelivery as the same message.
        var eventId = row.Id;
        await publisher.Publish(webhookEvent, webhookEvent.GetType(), Pipe.Execute<PublishContext>(context => context.MessageId = eventId),
            cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return outcome;
    }

    /// <summary>The original of (source, event id) if it is stored, without storing anything: for when nothing new may
    /// be accepted (the outbox is past its backlog limit) but a duplicate can still be told it is one.</summary>
    public async Task<Guid?> FindAsync(string source, string eventId, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var find = new NpgsqlCommand(FindSql, (NpgsqlConnection)db.Database.GetDbConnection());
            find.Parameters.Add(new NpgsqlParameter<string> { TypedValue = source });
            find.Parameters.Add(new NpgsqlParameter<string> { TypedValue = eventId });
            return await find.ExecuteScalarAsync(cancellationToken) as Guid?;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Records an event that no subscription wants; it is never published. A repeat finds the original.</summary>
    public async Task<StoreOutcome> RecordIgnoredAsync(ReceivedEvent row, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            return await InsertOrFindAsync(row, transaction: null, cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Drops the pool's idle connections after a failure: when the database went away they are all dead, and
    /// each would otherwise fail one more request after it came back.</summary>
    public void ForgetIdleConnections() => NpgsqlConnection.ClearPool((NpgsqlConnection)db.Database.GetDbConnection());

    private async Task<StoreOutcome> InsertOrFindAsync(ReceivedEvent row, IDbContextTransaction? transaction, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var npgsqlTransaction = (NpgsqlTransaction?)transaction?.GetDbTransaction();
        while (true)
        {
            await using (var insert = new NpgsqlCommand(InsertSql, connection, npgsqlTransaction))
            {
                insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = row.Id });
                insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = row.Source });
                insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = row.EventId });
                insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = row.Type });
                insert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = row.Version });
                insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = row.ReceivedAt.ToUniversalTime() });
                insert.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = row.Body, NpgsqlDbType = NpgsqlDbType.Bytea });
                insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = row.Scheme });
                insert.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = row.WebhookId, NpgsqlDbType = NpgsqlDbType.Varchar });
                insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = row.Status });
                // Prepared once per physical connection (Npgsql keeps it across pool rentals): no parse or plan per request.
                await insert.PrepareAsync(cancellationToken);
                await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
                if (await reader.ReadAsync(cancellationToken))
                {
                    return new StoreOutcome(reader.GetGuid(0), IsDuplicate: !reader.GetBoolean(1));
                }
            }

            await using (var find = new NpgsqlCommand(FindSql, connection, npgsqlTransaction))
            {
                find.Parameters.Add(new NpgsqlParameter<string> { TypedValue = row.Source });
                find.Parameters.Add(new NpgsqlParameter<string> { TypedValue = row.EventId });
                if (await find.ExecuteScalarAsync(cancellationToken) is Guid original)
                {
                    return new StoreOutcome(original, IsDuplicate: true);
                }
            }

            // The original was purged between the two statements (retention): the insert can now succeed.
        }
    }
}

/// <summary>What storing an event came to: our id for it, and whether that id is an earlier delivery's.</summary>
public readonly record struct StoreOutcome(Guid Id, bool IsDuplicate);
