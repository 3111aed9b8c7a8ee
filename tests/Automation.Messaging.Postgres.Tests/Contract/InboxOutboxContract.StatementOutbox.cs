using System.Text;
using Automation.Messaging.Postgres.Tests.Infrastructure;
using Automation.Messaging.Postgres.Tests.Messages;
using Automation.Testing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Automation.Messaging.Postgres.Tests.Contract;

/// <summary>The bus outbox written by the application's own statement (<see cref="IBusOutboxRows"/>): the application's row
/// and its messages in one statement, the messages stored only when that row was.</summary>
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
    public async Task A_statement_whose_own_insert_conflicts_stores_no_message()
    {
        var receiver = await StartHostAsync(receiverQueue: NewQueueName("receiver"));
        var publisher = await StartHostAsync();
        var orderId = Guid.NewGuid();
        await ExecuteAsync($"INSERT INTO {TestDbContext.Schema}.orders (id, note) VALUES ($1, 'already there')", orderId);

        var stored = await InsertOrderWithMessagesAsync(publisher, orderId, [NewId.NextGuid()]);

        Assert.False(stored);
        Assert.Equal(0, await CountAsync("outbox_message"));
        Assert.Equal(0, await CountAsync("outbox_state"));
        await DrainAsync(publisher, receiver);
        Assert.Empty(Positions(receiver, orderId));
    }

    /// <summary>Inserts an order and, in the same statement, the messages published for it: one per message id, positions
    /// 0, 1, 2 … Returns whether the order (and so its messages) was stored.</summary>
    private static async Task<bool> InsertOrderWithMessagesAsync(ComplianceHost publisher, Guid orderId, Guid[] messageIds)
    {
        await using var scope = publisher.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
        var publish = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
        for (var position = 0; position < messageIds.Length; position++)
        {
            var messageId = messageIds[position];
            await publish.Publish(new OrderPlaced(orderId, position), context => context.MessageId = messageId, Cancellation);
        }

        var outbox = scope.ServiceProvider.GetRequiredService<IBusOutboxRows>().TakeUnsaved()!;
        await db.Database.OpenConnectionAsync(Cancellation);
        await using var command = new NpgsqlCommand { Connection = (NpgsqlConnection)db.Database.GetDbConnection() };
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = orderId });
        var sql = new StringBuilder($"""
            WITH inserted AS (
                INSERT INTO {TestDbContext.Schema}.orders (id, note) VALUES ($1, 'placed') ON CONFLICT (id) DO NOTHING RETURNING id)
            """);
        outbox.AppendTo(sql, command.Parameters, gate: "inserted");
        command.CommandText = sql.Append(" SELECT count(*) FROM inserted").ToString();
        var stored = (long)(await command.ExecuteScalarAsync(Cancellation))! == 1;
        if (stored)
        {
            outbox.Stored();
        }

        // Nothing is left for SaveChanges to write twice.
        Assert.Equal(0, await db.SaveChangesAsync(Cancellation));
        return stored;
    }
}
