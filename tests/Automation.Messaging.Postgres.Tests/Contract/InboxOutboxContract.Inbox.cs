using Automation.Messaging.Postgres.Tests.Infrastructure;
using Automation.Messaging.Postgres.Tests.Messages;
using Automation.Testing;
using MassTransit;
using Npgsql;
using RabbitMQ.Client;

namespace Automation.Messaging.Postgres.Tests.Contract;

public abstract partial class InboxOutboxContract
{
    [Fact]
    public async Task The_same_message_delivered_ten_times_at_once_is_consumed_once_and_its_messages_published_once()
    {
        var receiver = await StartHostAsync(receiverQueue: NewQueueName("receiver"));
        var inboxQueue = NewQueueName("inbox");
        var consumer = await StartHostAsync(inboxQueue: inboxQueue);
        var orderId = Guid.NewGuid();
        var messageId = NewId.NextGuid();
        var conversationId = NewId.NextGuid();

        var endpoint = await consumer.Bus.GetSendEndpoint(new Uri($"queue:{inboxQueue}"));
        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => endpoint.Send(new ProcessOrder(orderId), context =>
        {
            context.MessageId = messageId;
            context.ConversationId = conversationId;
        }, Cancellation)));

        await Eventually.Until(() => receiver.Received.Of<OrderProcessed>().Any(r => ((OrderProcessed)r.Message).OrderId == orderId),
            "the consumer's outgoing message arrived", LongWait);
        await Eventually.Until(async () => await CountAsync("inbox_state", $"message_id = '{messageId}' AND delivered IS NOT NULL") == 1,
            "the inbox recorded the message as delivered", LongWait);
        await Eventually.Until(() => QueueIsDrainedAsync(inboxQueue), "all ten copies were acknowledged", LongWait);
        await DrainAsync(consumer, receiver);

        Assert.Equal(1, consumer.Probe.Runs[orderId]);
        Assert.Equal(1, await CountAsync("consumed_records", $"order_id = '{orderId}'"));
        var published = Assert.Single(receiver.Received.Of<OrderProcessed>(), r => ((OrderProcessed)r.Message).OrderId == orderId);
        // Published through the scoped IPublishEndpoint, yet by the consume context (which carries the conversation on),
        // not by the bus outbox (which would start a new one).
        Assert.Equal(conversationId, published.ConversationId);
        Assert.Equal(0, await CountAsync("outbox_message", $"inbox_message_id = '{messageId}'"));
    }

    [Fact]
    public async Task While_the_consumer_runs_the_inbox_owns_an_open_transaction_on_the_scoped_DbContext()
    {
        var inboxQueue = NewQueueName("inbox");
        var consumer = await StartHostAsync(inboxQueue: inboxQueue);
        var orderId = Guid.NewGuid();

        await (await consumer.Bus.GetSendEndpoint(new Uri($"queue:{inboxQueue}"))).Send(new ProcessOrder(orderId), Cancellation);

        await Eventually.Until(() => consumer.Probe.Completions.ContainsKey(orderId), "the consumer completed", LongWait);
        Assert.All(consumer.Probe.TransactionOpen, Assert.True);
    }

    [Fact]
    public async Task A_failed_attempt_leaves_no_rows_and_no_messages_and_the_retry_runs_in_a_fresh_scope()
    {
        var receiver = await StartHostAsync(receiverQueue: NewQueueName("receiver"));
        var inboxQueue = NewQueueName("inbox");
        var consumer = await StartHostAsync(inboxQueue: inboxQueue);
        var orderId = Guid.NewGuid();
        consumer.Probe.FailFirstAttempt[orderId] = true;

        await (await consumer.Bus.GetSendEndpoint(new Uri($"queue:{inboxQueue}"))).Send(new ProcessOrder(orderId), Cancellation);

        await Eventually.Until(() => consumer.Probe.Completions.ContainsKey(orderId), "the retry completed", LongWait);
        await Eventually.Until(() => receiver.Received.Of<OrderProcessed>().Any(r => ((OrderProcessed)r.Message).OrderId == orderId),
            "the outgoing message of the successful attempt arrived", LongWait);
        await DrainAsync(consumer, receiver);
        Assert.Equal(2, consumer.Probe.Runs[orderId]);
        Assert.Equal(1, await CountAsync("consumed_records", $"order_id = '{orderId}'"));
        Assert.Single(receiver.Received.Of<OrderProcessed>(), r => ((OrderProcessed)r.Message).OrderId == orderId);
    }

    [Fact]
    public async Task Cleanup_removes_only_inbox_rows_delivered_longer_ago_than_the_duplicate_detection_window()
    {
        // The class's tests run in random order: a host that cleans nothing migrates the schema before the rows go in.
        await StartHostAsync(outbox: outbox => outbox.DisableInboxCleanupService());
        var consumerId = Guid.NewGuid();
        var now = DateTime.UtcNow;
        var expired = Enumerable.Range(0, 7).Select(_ => Guid.NewGuid()).ToArray();
        var recent = Guid.NewGuid();
        var consumedNotDelivered = Guid.NewGuid();
        var inProgress = Guid.NewGuid();
        foreach (var messageId in expired)
        {
            await InsertInboxRowAsync(messageId, consumerId, received: now.AddHours(-3), consumed: now.AddHours(-3), delivered: now.AddHours(-2));
        }

        await InsertInboxRowAsync(recent, consumerId, received: now.AddMinutes(-5), consumed: now.AddMinutes(-5), delivered: now.AddMinutes(-5));
        await InsertInboxRowAsync(consumedNotDelivered, consumerId, received: now.AddHours(-3), consumed: now.AddHours(-3), delivered: null);
        await InsertInboxRowAsync(inProgress, consumerId, received: now.AddHours(-3), consumed: null, delivered: null);

        await StartHostAsync(outbox: outbox =>
        {
            outbox.DuplicateDetectionWindow = TimeSpan.FromHours(1);
            outbox.QueryDelay = TimeSpan.FromMilliseconds(100);
            // Smaller than the expired rows: the service must take several bounded batches.
            outbox.QueryMessageLimit = 2;
        });

        await Eventually.Until(async () => await CountAsync("inbox_state", $"consumer_id = '{consumerId}' AND delivered < now() - interval '1 hour'") == 0,
            "the expired rows are gone", LongWait);
        Assert.Equal(3, await CountAsync("inbox_state", $"consumer_id = '{consumerId}'"));
        foreach (var kept in new[] { recent, consumedNotDelivered, inProgress })
        {
            Assert.Equal(1, await CountAsync("inbox_state", $"message_id = '{kept}'"));
        }
    }

    [Fact]
    public async Task A_message_whose_body_cannot_be_deserialized_goes_to_the_error_queue_once()
    {
        var inboxQueue = NewQueueName("inbox");
        var consumer = await StartHostAsync(inboxQueue: inboxQueue);
        await using var connection = await OpenBrokerConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(cancellationToken: Cancellation);
        var messageId = Guid.NewGuid();

        await channel.BasicPublishAsync("", inboxQueue, mandatory: true,
            new BasicProperties { ContentType = "application/vnd.masstransit+json", MessageId = messageId.ToString(), Persistent = true },
            "{ this is not json"u8.ToArray(), Cancellation);

        await Eventually.Until(async () => await MessageCountAsync($"{inboxQueue}_error") == 1, "the message reached the error queue", LongWait);
        var errored = await channel.BasicGetAsync($"{inboxQueue}_error", autoAck: true, Cancellation);
        Assert.Equal("{ this is not json", System.Text.Encoding.UTF8.GetString(errored!.Body.Span));
        await Eventually.Until(() => QueueIsDrainedAsync(inboxQueue), "the input queue holds nothing more", LongWait);
        Assert.Null(await channel.BasicGetAsync($"{inboxQueue}_error", autoAck: true, Cancellation));
        Assert.Empty(consumer.Probe.Runs);
        Assert.Equal(0, await CountAsync("inbox_state", $"message_id = '{messageId}'"));
    }

    private Task InsertInboxRowAsync(Guid messageId, Guid consumerId, DateTime received, DateTime? consumed, DateTime? delivered) =>
        ExecuteAsync($"""
            INSERT INTO {TestDbContext.Schema}.inbox_state (message_id, consumer_id, received, receive_count, consumed, delivered)
            VALUES ($1, $2, $3, 1, $4, $5)
            """, messageId, consumerId, received, (object?)consumed ?? DBNull.Value, (object?)delivered ?? DBNull.Value);

    private async Task<IConnection> OpenBrokerConnectionAsync() =>
        await new ConnectionFactory { Uri = RabbitMqUri }.CreateConnectionAsync(Cancellation);

    /// <summary>Ready plus unacknowledged messages of a queue, as the broker counts them (0 when it does not exist yet).</summary>
    private async Task<uint> MessageCountAsync(string queue)
    {
        await using var connection = await OpenBrokerConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(cancellationToken: Cancellation);
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue, Cancellation)).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return 0;
        }
    }

    private async Task<bool> QueueIsDrainedAsync(string queue) => await MessageCountAsync(queue) == 0;
}
