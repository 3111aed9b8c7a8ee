using System.Text;
using Automation.Messaging.Postgres.Tests.Infrastructure;
using Automation.Messaging.Postgres.Tests.Messages;
using Automation.Testing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Automation.Messaging.Postgres.Tests.Contract;

/// <summary>The bus outbox written by the application's own statement (<see cref="IBusOutboxRows"/>,
/// <see cref="BusOutboxBatch"/>): the application's rows and their messages in one statement, each row's messages stored
/// only when that row was.</summary>
public abstract partial class InboxOutboxContract
{
    [Fact]
    public async Task Messages_written_by_the_applications_own_statement_are_delivered_in_order_with_their_message_ids()
    {
        var receiver = await StartHostAsync(receiverQueue: NewQueueName("receiver"));
        var publisher = await StartHostAsync();
        var orderId = Guid.NewGuid();
        var messageIds = Enumerable.Range(0, 3).Select(_ => NewId.NextGuid()).ToArray();

        var stored = await InsertOrderWithMessagesAsync(publisher, orderId, messageIds);

        Assert.True(stored);
        await Eventually.Until(() => Positions(receiver, orderId).Count == messageIds.Length, "every message arrived", LongWait);
        Assert.Equal([0, 1, 2], Positions(receiver, orderId));
        Assert.Equal(messageIds.Select(id => (Guid?)id), receiver.Received.Of<OrderPlaced>()
            .Where(r => ((OrderPlaced)r.Message).OrderId == orderId)
            .OrderBy(r => ((OrderPlaced)r.Message).Position)
            .Select(r => r.MessageId));
        await Eventually.Until(() => OutboxIsEmptyAsync(publisher), "the outbox is empty", LongWait);
    }

    [Fact]
    public async Task A_statement_stores_the_messages_of_the_rows_it_inserted_and_none_of_a_row_that_conflicted()
    {
        var receiver = await StartHostAsync(receiverQueue: NewQueueName("receiver"));
        // Counted before any delivery: a delivery service running beside the counts could send and delete between them.
        var publisher = await StartHostAsync(outbox: outbox => outbox.UseBusOutbox(bus => bus.DisableDeliveryService()));
        var existingOrderId = Guid.NewGuid();
        var newOrderId = Guid.NewGuid();
        await ExecuteAsync($"INSERT INTO {TestDbContext.Schema}.orders (id, note) VALUES ($1, 'already there')", existingOrderId);

        var stored = await InsertOrdersWithMessagesAsync(publisher,
            [(existingOrderId, [NewId.NextGuid()]), (newOrderId, [NewId.NextGuid(), NewId.NextGuid()])]);

        Assert.Equal([newOrderId], stored);
        // Only this test's rows: another test of the class may have left its own (a host stopped before it delivered).
        var ours = $"body LIKE '%{existingOrderId}%' OR body LIKE '%{newOrderId}%'";
        Assert.Equal(2, await CountAsync("outbox_message", ours));
        Assert.Equal(1, await CountAsync("outbox_state", $"outbox_id IN (SELECT outbox_id FROM {TestDbContext.Schema}.outbox_message WHERE {ours})"));
        var deliverer = await StartHostAsync();
        await Eventually.Until(() => Positions(receiver, newOrderId).Count == 2, "the inserted order's messages arrived", LongWait);
        await DrainAsync(deliverer, receiver);
        Assert.Empty(Positions(receiver, existingOrderId));
        Assert.Equal([0, 1], Positions(receiver, newOrderId));
    }

    private static async Task<bool> InsertOrderWithMessagesAsync(ComplianceHost publisher, Guid orderId, Guid[] messageIds) =>
        (await InsertOrdersWithMessagesAsync(publisher, [(orderId, messageIds)])).Contains(orderId);

    /// <summary>Inserts the orders and, in the same statement, the messages each published in its own scope: one per
    /// message id, positions 0, 1, 2 … Returns the orders (and so the messages) that were stored.</summary>
    private static async Task<Guid[]> InsertOrdersWithMessagesAsync(ComplianceHost publisher, (Guid OrderId, Guid[] MessageIds)[] orders)
    {
        var batch = new BusOutboxBatch();
        var scopes = new List<AsyncServiceScope>();
        try
        {
            foreach (var (orderId, messageIds) in orders)
            {
                var scope = publisher.Services.CreateAsyncScope();
                scopes.Add(scope);
                var publish = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
                for (var position = 0; position < messageIds.Length; position++)
                {
                    var messageId = messageIds[position];
                    await publish.Publish(new OrderPlaced(orderId, position), context => context.MessageId = messageId, Cancellation);
                }

                batch.Add(orderId, scope.ServiceProvider.GetRequiredService<IBusOutboxRows>().TakeUnsaved()!);
            }

            var db = scopes[0].ServiceProvider.GetRequiredService<TestDbContext>();
            await db.Database.OpenConnectionAsync(Cancellation);
            await using var command = new NpgsqlCommand { Connection = (NpgsqlConnection)db.Database.GetDbConnection() };
            command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. orders.Select(order => order.OrderId)] });
            var sql = new StringBuilder($"""
                WITH inserted AS (
                    INSERT INTO {TestDbContext.Schema}.orders (id, note) SELECT id, 'placed' FROM unnest($1) AS o(id)
                    ON CONFLICT (id) DO NOTHING RETURNING id)
                """);
            batch.AppendTo(sql, command.Parameters, gate: "inserted", keyColumn: "id");
            command.CommandText = sql.Append(" SELECT id FROM inserted").ToString();
            var stored = new List<Guid>();
            await using (var reader = await command.ExecuteReaderAsync(Cancellation))
            {
                while (await reader.ReadAsync(Cancellation))
                {
                    stored.Add(reader.GetGuid(0));
                }
            }

            if (stored.Count > 0)
            {
                batch.Stored();
            }

            // Nothing is left for SaveChanges to write twice.
            foreach (var scope in scopes)
            {
                Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<TestDbContext>().SaveChangesAsync(Cancellation));
            }

            return [.. stored];
        }
        finally
        {
            foreach (var scope in scopes)
            {
                await scope.DisposeAsync();
            }
        }
    }
}
