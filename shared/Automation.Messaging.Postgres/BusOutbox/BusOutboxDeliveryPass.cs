using System.Collections.Concurrent;
using System.Data;
using System.Diagnostics;
using MassTransit;
using MassTransit.Logging;
using MassTransit.Middleware;
using MassTransit.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Automation.Messaging.Postgres;

/// <summary>One delivery pass, in one transaction: lock up to <see cref="OutboxDeliveryServiceOptions.QueryMessageLimit"/>
/// committed outboxes that no other pass holds (<c>FOR UPDATE SKIP LOCKED</c>), then read their first messages, send each
/// outbox's messages in order (outboxes side by side), delete what the broker took and commit. Four round trips per batch
/// however many messages it holds.</summary>
internal sealed partial class BusOutboxDeliveryPass<TDbContext>(
    IServiceScopeFactory scopes, IBus bus, OutboxDeliveryServiceOptions options, Action<SendContext>? configureSend, TimeProvider time,
    ILogger logger)
    where TDbContext : DbContext
{
    private readonly OutboxDeferrals _deferrals = new(time);

    public async Task<DeliveryPassResult> RunAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var dbContext = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var tables = InboxOutboxTables.For(dbContext);
        var connection = (NpgsqlConnection)dbContext.Database.GetDbConnection();
        // Declared before the transaction, so that an idle pass's rollback is quiet too.
        using var quiet = BackgroundPassTelemetry.Quiet();
        await dbContext.Database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        var locked = await LockOutboxesAsync(connection, tables, cancellationToken);
        if (locked.Length == 0)
        {
            return DeliveryPassResult.Idle;
        }

        quiet.Dispose();
        using var activity = BackgroundPassTelemetry.StartWork("outbox deliver");
        var outboxes = await ReadMessagesAsync(connection, tables, locked, cancellationToken);
        activity?.SetTag("automation.outbox.count", outboxes.Count);
        // Most messages of a pass share a few destinations: resolve each endpoint once, not once per message.
        var endpoints = new ConcurrentDictionary<Uri, Task<ISendEndpoint>>();
        var deliveries = await Task.WhenAll(outboxes.Select(outbox => SendInOrderAsync(outbox, endpoints, cancellationToken)));
        activity.LinkTo(deliveries.SelectMany(delivery => delivery.Moved));

        var sent = deliveries.SelectMany(delivery => delivery.Sent).ToArray();
        var finished = deliveries.Where(delivery => delivery.Finished).Select(delivery => delivery.OutboxId).ToArray();
        await RemoveAsync(connection, tables, sent, finished, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        // Every outbox refused: the broker is likely away, and the loop backs off. Some refused: those are deferred, the
        // rest go on as usual.
        var failed = deliveries.Length > 0 && deliveries.All(delivery => delivery.Failed);
        MessagingPostgresInstrumentation.OutboxMessagesDelivered.Add(sent.Length);
        activity?.SetTag("automation.outbox.messages_sent", sent.Length);
        return new DeliveryPassResult(
            MoreWaiting: outboxes.Count >= options.QueryMessageLimit || deliveries.Any(delivery => !delivery.Finished && !delivery.Failed),
            Failed: failed);
    }

    /// <summary>Locks the oldest outboxes no other pass holds. Their messages are read by the next statement, not by this
    /// one: under READ COMMITTED a statement reads as of its start, so a statement that reached an outbox just after another
    /// pass committed a partial batch of it would still see the messages that pass sent and deleted, and send them again.
    /// The statement that follows the lock sees that commit.</summary>
    private async Task<Guid[]> LockOutboxesAsync(NpgsqlConnection connection, InboxOutboxTables tables, CancellationToken cancellationToken)
    {
        // Planned for the table as statistics describe it, which for a queue table is often "empty" (QueueTablePlans), so
        // the pick leaves the planner no costly choice: it walks the index on created (no sort allowed). Outboxes created in
        // the same instant go in any order: order matters within one outbox only.
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(QueueTablePlans.FreshPlansSql),
                new NpgsqlBatchCommand(
                    $"SELECT outbox_id FROM {tables.OutboxState} WHERE outbox_id <> ALL($2) ORDER BY created LIMIT $1 FOR UPDATE SKIP LOCKED")
                {
                    Parameters = { new() { Value = options.QueryMessageLimit }, new() { Value = _deferrals.Current() } },
                },
            },
            Timeout = (int)Math.Ceiling(options.QueryTimeout.TotalSeconds),
        };

        var locked = new List<Guid>();
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            locked.Add(reader.GetGuid(0));
        }

        return [.. locked];
    }

    private async Task<List<LockedOutbox>> ReadMessagesAsync(NpgsqlConnection connection, InboxOutboxTables tables, Guid[] locked,
        CancellationToken cancellationToken)
    {
        // Each outbox's messages come from a lookup in (outbox_id, sequence_number), the only index the lateral subquery can
        // use: it has no ORDER BY that another index could serve, and OFFSET 0 keeps it a per-outbox lookup instead of a join
        // the planner could turn into a scan of the whole table. Order and the per-outbox limit are applied to the few rows
        // found.
        await using var command = new NpgsqlCommand($"""
            WITH numbered AS (
                SELECT p.pick_order, p.outbox_id AS picked_outbox_id, m.sequence_number, m.message_id, m.content_type,
                       m.message_type, m.body, m.headers, m.properties, m.conversation_id, m.correlation_id, m.initiator_id,
                       m.request_id, m.source_address, m.destination_address, m.response_address, m.fault_address,
                       m.sent_time, m.expiration_time,
                       row_number() OVER (PARTITION BY p.outbox_id ORDER BY m.sequence_number) AS position
                FROM unnest($1::uuid[]) WITH ORDINALITY AS p(outbox_id, pick_order)
                LEFT JOIN LATERAL (
                    SELECT * FROM {tables.OutboxMessage} message WHERE message.outbox_id = p.outbox_id OFFSET 0) m ON true)
            SELECT picked_outbox_id, sequence_number, message_id, content_type, message_type, body, headers, properties,
                   conversation_id, correlation_id, initiator_id, request_id, source_address, destination_address,
                   response_address, fault_address, sent_time, expiration_time
            FROM numbered
            WHERE position <= $2
            ORDER BY pick_order, sequence_number
            """, connection)
        {
            CommandTimeout = (int)Math.Ceiling(options.QueryTimeout.TotalSeconds),
            Parameters = { new() { Value = locked }, new() { Value = options.MessageDeliveryLimit } },
        };

        var outboxes = new List<LockedOutbox>(locked.Length);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var outboxId = reader.GetGuid(0);
            if (outboxes.Count == 0 || outboxes[^1].OutboxId != outboxId)
            {
                outboxes.Add(new LockedOutbox(outboxId, []));
            }

            if (!reader.IsDBNull(1))
            {
                outboxes[^1].Messages.Add(ReadMessage(reader, outboxId));
            }
        }

        return outboxes;
    }

    private static OutboxMessage ReadMessage(NpgsqlDataReader reader, Guid outboxId) => new()
    {
        OutboxId = outboxId,
        SequenceNumber = reader.GetInt64(1),
        MessageId = reader.GetGuid(2),
        ContentType = reader.GetString(3),
        MessageType = reader.GetString(4),
        Body = reader.GetString(5),
        SerializedHeaders = reader.IsDBNull(6) ? null : reader.GetString(6),
        SerializedProperties = reader.IsDBNull(7) ? null : reader.GetString(7),
        ConversationId = reader.IsDBNull(8) ? null : reader.GetGuid(8),
        CorrelationId = reader.IsDBNull(9) ? null : reader.GetGuid(9),
        InitiatorId = reader.IsDBNull(10) ? null : reader.GetGuid(10),
        RequestId = reader.IsDBNull(11) ? null : reader.GetGuid(11),
        SourceAddress = reader.IsDBNull(12) ? null : new Uri(reader.GetString(12)),
        DestinationAddress = reader.IsDBNull(13) ? null : new Uri(reader.GetString(13)),
        ResponseAddress = reader.IsDBNull(14) ? null : new Uri(reader.GetString(14)),
        FaultAddress = reader.IsDBNull(15) ? null : new Uri(reader.GetString(15)),
        SentTime = DateTime.SpecifyKind(reader.GetDateTime(16), DateTimeKind.Utc),
        ExpirationTime = reader.IsDBNull(17) ? null : DateTime.SpecifyKind(reader.GetDateTime(17), DateTimeKind.Utc),
    };

    /// <summary>Sends one outbox's messages in sequence and stops at the first the broker refuses, so order is kept: the
    /// rest stay for a later pass.</summary>
    private async Task<OutboxDelivery> SendInOrderAsync(LockedOutbox outbox, ConcurrentDictionary<Uri, Task<ISendEndpoint>> endpoints,
        CancellationToken cancellationToken)
    {
        var sent = new List<long>(outbox.Messages.Count);
        var moved = new List<ActivityContext>(outbox.Messages.Count);
        foreach (var message in outbox.Messages)
        {
            if (message.DestinationAddress is null || message.ExpirationTime < time.GetUtcNow().UtcDateTime)
            {
                LogDropped(message.MessageId, outbox.OutboxId, message.DestinationAddress is null ? "it has no destination" : "it expired");
                sent.Add(message.SequenceNumber);
                continue;
            }

            try
            {
                moved.Add(await SendAsync(message, await endpoints.GetOrAdd(message.DestinationAddress, bus.GetSendEndpoint), cancellationToken));
                sent.Add(message.SequenceNumber);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogSendFailed(exception, message.MessageId, outbox.OutboxId);
                MessagingPostgresInstrumentation.OutboxDeliveryFailures.Add(1);
                _deferrals.Defer(outbox.OutboxId);
                return new OutboxDelivery(outbox.OutboxId, sent, moved, Finished: false, Failed: true);
            }
        }

        _deferrals.Delivered(outbox.OutboxId);

        return new OutboxDelivery(outbox.OutboxId, sent, moved, Finished: outbox.Messages.Count < options.MessageDeliveryLimit, Failed: false);
    }

    /// <summary>Sends one message; returns the span that carried it in its event's trace (none when that trace is not
    /// recorded).</summary>
    private async Task<ActivityContext> SendAsync(OutboxMessage message, ISendEndpoint endpoint, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.MessageDeliveryTimeout);
        // MassTransit's own deliver activity continues the trace stored in the message's headers.
        var activity = LogContext.Current?.StartOutboxDeliverActivity(message);
        try
        {
            IPipe<SendContext<SerializedMessageBody>> pipe = new OutboxMessageSendPipe(message, message.DestinationAddress!);
            if (configureSend is not null)
            {
                var stored = pipe;
                pipe = Pipe.ExecuteAsync<SendContext<SerializedMessageBody>>(async context =>
                {
                    await stored.Send(context);
                    configureSend(context);
                });
            }

            await endpoint.Send(new SerializedMessageBody(), pipe, timeout.Token);
            return activity?.Activity.Context ?? default;
        }
        catch (Exception exception)
        {
            activity?.AddExceptionEvent(exception);
            throw;
        }
        finally
        {
            activity?.Stop();
        }
    }

    private async Task RemoveAsync(NpgsqlConnection connection, InboxOutboxTables tables, long[] sent, Guid[] finished,
        CancellationToken cancellationToken)
    {
        if (sent.Length == 0 && finished.Length == 0)
        {
            return;
        }

        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand($"DELETE FROM {tables.OutboxMessage} WHERE sequence_number = ANY($1)") { Parameters = { new() { Value = sent } } },
                new NpgsqlBatchCommand($"DELETE FROM {tables.OutboxState} WHERE outbox_id = ANY($1)") { Parameters = { new() { Value = finished } } },
            },
            Timeout = (int)Math.Ceiling(options.QueryTimeout.TotalSeconds),
        };
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The broker did not take outbox message {MessageId} of outbox {OutboxId}; it stays for the next pass")]
    private partial void LogSendFailed(Exception exception, Guid messageId, Guid outboxId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox message {MessageId} of outbox {OutboxId} was dropped because {Reason}")]
    private partial void LogDropped(Guid messageId, Guid outboxId, string reason);

    private sealed record LockedOutbox(Guid OutboxId, List<OutboxMessage> Messages);

    private sealed record OutboxDelivery(Guid OutboxId, List<long> Sent, List<ActivityContext> Moved, bool Finished, bool Failed);
}

internal sealed record DeliveryPassResult(bool MoreWaiting, bool Failed)
{
    public static readonly DeliveryPassResult Idle = new(false, false);
}
