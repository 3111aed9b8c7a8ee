using System.Data;
using MassTransit;
using MassTransit.Middleware;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Automation.Messaging.Postgres;

/// <summary>Runs a consumer behind the inbox, in passes that each hold one ReadCommitted transaction on the scoped
/// <typeparamref name="TDbContext"/> and the inbox row locked <c>FOR UPDATE</c>:
/// <list type="number">
/// <item>not consumed yet: run the consumer; its DbContext writes, its outgoing messages and the inbox row commit together.
/// With the bus outbox, the outgoing messages are committed as a bus outbox that the delivery service sends, and the row is
/// marked delivered in the same commit: that is the message's only pass;</item>
/// <item>consumed, not delivered (no bus outbox): send the stored messages to the broker, delete them, mark the row delivered;</item>
/// <item>delivered (a duplicate): do nothing but let MassTransit acknowledge it.</item>
/// </list>
/// The broker message is acknowledged only after the last pass commits. While the consumer runs,
/// <c>dbContext.Database.CurrentTransaction</c> is the inbox's transaction: anything else on the same scoped DbContext
/// (e.g. a saga repository) joins it and must not commit it.</summary>
internal sealed class InboxOutboxContextFactory<TDbContext>(TDbContext dbContext, IServiceProvider provider, TimeProvider time,
    ConsumerOutboxDelivery<TDbContext> delivery)
    : IOutboxContextFactory<TDbContext>
    where TDbContext : DbContext
{
    public async Task Send<T>(ConsumeContext<T> context, OutboxConsumeOptions options, IPipe<OutboxConsumeContext<T>> next)
        where T : class
    {
        var messageId = context.GetOriginalMessageId() ?? throw new MessageException(typeof(T), "The inbox needs a MessageId");
        var strategy = dbContext.Database.CreateExecutionStrategy();
        var pass = new Pass(First: true, CommittedEarlier: []);
        // One pooled connection for all passes of this message: every checkout from the pool costs a session reset on the
        // server (Npgsql prepends it to the next statement).
        await dbContext.RunOnOpenConnectionAsync(async () =>
        {
            while (true)
            {
                var current = pass;
                var (continueProcessing, added) = await strategy.ExecuteAsync(() => RunPassAsync(context, options, next, messageId, current));
                if (!continueProcessing)
                {
                    return;
                }

                pass = new Pass(First: false, CommittedEarlier: added.Count > 0 ? added : pass.CommittedEarlier);
            }
        }, context.CancellationToken);
    }

    private async Task<(bool ContinueProcessing, IReadOnlyList<OutboxMessage> Added)> RunPassAsync<T>(ConsumeContext<T> context,
        OutboxConsumeOptions options, IPipe<OutboxConsumeContext<T>> next, Guid messageId, Pass pass)
        where T : class
    {
        // A pass starts from what the database says, never from what a failed attempt left in the change tracker.
        dbContext.ChangeTracker.Clear();
        await using var transaction = await dbContext.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, context.CancellationToken);
        // No automatic savepoint around each SaveChanges in this transaction (EF's default costs two more round trips per
        // save): any failed statement fails the whole pass, which is rolled back and retried in a fresh scope. Code that
        // must carry on after a failed statement takes its own savepoint (as the saga repository's insert does).
        dbContext.Database.AutoSavepointsEnabled = false;
        try
        {
            return await RunInTransactionAsync(context, options, next, messageId, pass, transaction);
        }
        finally
        {
            dbContext.Database.AutoSavepointsEnabled = true;
        }
    }

    private async Task<(bool ContinueProcessing, IReadOnlyList<OutboxMessage> Added)> RunInTransactionAsync<T>(ConsumeContext<T> context,
        OutboxConsumeOptions options, IPipe<OutboxConsumeContext<T>> next, Guid messageId, Pass pass, IDbContextTransaction transaction)
        where T : class
    {
        var inbox = await LockInboxAsync(transaction, messageId, options.ConsumerId, pass.First, context.CancellationToken);
        if (pass.First && inbox.Consumed is not null)
        {
            MessagingPostgresInstrumentation.InboxDuplicates.Add(1);
        }

        var outboxContext = new InboxOutboxConsumeContext<T>(context, options, provider, dbContext, inbox, time, pass.CommittedEarlier,
            delivery.ByBusOutbox);
        if (provider.GetService<TransactionalScheduling<TDbContext>>() is not null)
        {
            outboxContext.UseScheduler(TransactionalScheduling<TDbContext>.Create(outboxContext, dbContext, context.GetPayload<IBusTopology>(), time));
        }
        await next.Send(outboxContext);
        // Progress the pipe recorded without saving (delivered rows removed, last sequence number, receive count).
        await dbContext.SaveChangesAsync(context.CancellationToken);
        await transaction.CommitAsync(CancellationToken.None);

        // Delivered in this very receive (the consumer ran and had nothing left to send): MassTransit's closing pass would
        // only repeat what is already done, so save its round trips.
        var finishedHere = inbox.Delivered is not null && context.ReceiveContext.IsDelivered;
        return (outboxContext.ContinueProcessing && !finishedHere, outboxContext.Added);
    }

    /// <param name="First">The first pass of this receive: it inserts the inbox row if new and counts the delivery.</param>
    /// <param name="CommittedEarlier">Outgoing messages an earlier pass of this receive committed.</param>
    private sealed record Pass(bool First, IReadOnlyList<OutboxMessage> CommittedEarlier);

    /// <summary>Inserts the inbox row (new messages, one round trip, the row stays locked by the insert) or locks the
    /// existing one; a concurrent twin of the same message waits on the row until this transaction ends.</summary>
    private async Task<InboxState> LockInboxAsync(IDbContextTransaction transaction, Guid messageId, Guid consumerId, bool firstPass,
        CancellationToken cancellationToken)
    {
        var tables = InboxOutboxTables.For(dbContext);
        var connection = (NpgsqlConnection)dbContext.Database.GetDbConnection();
        var dbTransaction = (NpgsqlTransaction)transaction.GetDbTransaction();
        var now = time.GetUtcNow().UtcDateTime;

        // Later passes of a receive know the row exists: lock it straight away.
        await using (var insert = firstPass ? new NpgsqlCommand($"""
            INSERT INTO {tables.InboxState} (message_id, consumer_id, received, receive_count) VALUES ($1, $2, $3, 1)
            ON CONFLICT (message_id, consumer_id) DO NOTHING
            """, connection, dbTransaction)
        {
            Parameters = { new() { Value = messageId }, new() { Value = consumerId }, new() { Value = now } },
        } : null)
        {
            if (insert is not null && await insert.ExecuteNonQueryAsync(cancellationToken) == 1)
            {
                return Track(new InboxState { MessageId = messageId, ConsumerId = consumerId, Received = now, ReceiveCount = 1 });
            }
        }

        await using var select = new NpgsqlCommand($"""
            SELECT received, receive_count, consumed, delivered, last_sequence_number FROM {tables.InboxState}
            WHERE message_id = $1 AND consumer_id = $2
            FOR UPDATE
            """, connection, dbTransaction)
        {
            Parameters = { new() { Value = messageId }, new() { Value = consumerId } },
        };
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            // Only the cleanup service deletes rows, and only long-delivered ones: a retry of the message inserts it afresh.
            throw new InboxRowVanishedException(messageId, consumerId);
        }

        var inbox = Track(new InboxState
        {
            MessageId = messageId,
            ConsumerId = consumerId,
            Received = DateTime.SpecifyKind(reader.GetDateTime(0), DateTimeKind.Utc),
            ReceiveCount = reader.GetInt32(1),
            Consumed = reader.IsDBNull(2) ? null : DateTime.SpecifyKind(reader.GetDateTime(2), DateTimeKind.Utc),
            Delivered = reader.IsDBNull(3) ? null : DateTime.SpecifyKind(reader.GetDateTime(3), DateTimeKind.Utc),
            LastSequenceNumber = reader.IsDBNull(4) ? null : reader.GetInt64(4),
        });
        if (firstPass)
        {
            inbox.ReceiveCount++;
        }

        return inbox;
    }

    private InboxState Track(InboxState inbox)
    {
        dbContext.Attach(inbox);
        return inbox;
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("outboxContextFactory").Add("provider", "postgres");
}

/// <summary>The inbox row of a message disappeared between the insert that found it and the lock: transient, retried by
/// the endpoint's retry policy.</summary>
public sealed class InboxRowVanishedException(Guid messageId, Guid consumerId)
    : Exception($"The inbox row of message {messageId} for consumer {consumerId} vanished while it was being locked");
