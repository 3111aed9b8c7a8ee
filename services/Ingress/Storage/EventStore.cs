using Automation.Contracts;
using Automation.Messaging.Postgres;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Automation.Ingress.Storage;

/// <summary>Stores received events. Deduplication is the unique index on (source, event id), applied by the insert
/// itself (<c>ON CONFLICT DO NOTHING</c>), never by a look-up before it: two concurrent deliveries of one event cannot
/// both be stored, and the second learns the first one's id.</summary>
public sealed class EventStore(IngressDbContext db, IPublishEndpoint publisher, IBusOutboxRows outboxRows, EventWriter writer)
{
    private const string FindSql = "SELECT id FROM ingress.events WHERE source = $1 AND event_id = $2";

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
        writer.WriteAsync(row, outbox: null, cancellationToken);

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

    internal static async Task<Guid?> FindAsync(NpgsqlConnection connection, string source, string eventId, CancellationToken cancellationToken)
    {
        await using var find = new NpgsqlCommand(FindSql, connection);
        find.Parameters.Add(new NpgsqlParameter<string> { TypedValue = source });
        find.Parameters.Add(new NpgsqlParameter<string> { TypedValue = eventId });
        return await find.ExecuteScalarAsync(cancellationToken) as Guid?;
    }
}

/// <summary>What storing an event came to: our id for it, and whether that id is an earlier delivery's.</summary>
public readonly record struct StoreOutcome(Guid Id, bool IsDuplicate);
