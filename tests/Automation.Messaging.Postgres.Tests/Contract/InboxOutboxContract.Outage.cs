using Automation.Messaging.Postgres.Tests.Infrastructure;
using Automation.Messaging.Postgres.Tests.Messages;
using Automation.Testing;
using MassTransit;
using Npgsql;

namespace Automation.Messaging.Postgres.Tests.Contract;

/// <summary>What counts as a database outage (the endpoint pauses and hands the message back) and what does not (the
/// message's retries and error queue apply).</summary>
public abstract partial class InboxOutboxContract
{
    [Fact]
    public async Task While_the_database_is_unreachable_a_message_waits_unacknowledged_the_consumer_pauses_and_it_completes_when_the_database_returns()
    {
        var postgres = new NpgsqlConnectionStringBuilder(ConnectionString);
        await using var databaseProxy = new TcpProxy(postgres.Host!, postgres.Port);
        var inboxQueue = NewQueueName("inbox");
        var pauses = new EndpointStops();
        var consumer = await StartHostAsync(inboxQueue: inboxQueue,
            connectionString: new NpgsqlConnectionStringBuilder(ConnectionString) { Port = databaseProxy.Port, Pooling = false }.ConnectionString,
            configureInbox: endpoint =>
            {
                endpoint.PauseWhileDatabaseUnavailable(killSwitch => killSwitch.SetActivationThreshold(1).SetRestartTimeout(TimeSpan.FromSeconds(1)));
                endpoint.ConnectReceiveEndpointObserver(pauses);
            });
        var orderId = Guid.NewGuid();

        databaseProxy.Cut();
        await (await consumer.Bus.GetSendEndpoint(new Uri($"queue:{inboxQueue}"))).Send(new ProcessOrder(orderId), Cancellation);

        await Eventually.Until(() => pauses.Count > 0, "the kill switch stopped the endpoint", LongWait);
        Assert.False(consumer.Probe.Completions.ContainsKey(orderId));
        Assert.Equal(0u, await MessageCountAsync($"{inboxQueue}_error"));

        databaseProxy.Restore();
        await Eventually.Until(() => consumer.Probe.Completions.ContainsKey(orderId), "the consumer completed once the database returned", LongWait);
        // The probe counts a completion before the transaction commits, and a queue's count leaves out a message in hand.
        await Eventually.Until(async () => await CountAsync("consumed_records", $"order_id = '{orderId}'") > 0, "the consumer's transaction committed", LongWait);
        await Eventually.Until(() => QueueIsDrainedAsync(inboxQueue), "the message was acknowledged", LongWait);
        Assert.Equal(1, consumer.Probe.Completions[orderId]);
        Assert.Equal(1, await CountAsync("consumed_records", $"order_id = '{orderId}'"));
        Assert.Equal(0u, await MessageCountAsync($"{inboxQueue}_error"));
    }

    [Fact]
    public async Task A_twin_that_times_out_waiting_on_the_inbox_row_of_a_long_consumer_is_retried_and_ends_as_a_duplicate_without_pausing_the_endpoint()
    {
        var inboxQueue = NewQueueName("inbox");
        var pauses = new EndpointStops();
        var consumer = await StartHostAsync(inboxQueue: inboxQueue,
            connectionString: new NpgsqlConnectionStringBuilder(ConnectionString) { CommandTimeout = 1 }.ConnectionString,
            configureInbox: endpoint =>
            {
                endpoint.PauseWhileDatabaseUnavailable(killSwitch => killSwitch.SetActivationThreshold(1).SetRestartTimeout(TimeSpan.FromSeconds(1)));
                endpoint.ConnectReceiveEndpointObserver(pauses);
            });
        var orderId = Guid.NewGuid();
        var messageId = NewId.NextGuid();
        // Longer than the twin's first attempt waits on the row (the command timeout), shorter than its immediate retries.
        consumer.Probe.WorkFor[orderId] = TimeSpan.FromSeconds(2.5);
        var endpoint = await consumer.Bus.GetSendEndpoint(new Uri($"queue:{inboxQueue}"));

        await endpoint.Send(new ProcessOrder(orderId), context => context.MessageId = messageId, Cancellation);
        await Eventually.Until(() => consumer.Probe.Runs.ContainsKey(orderId), "the first copy is being consumed", LongWait);
        await endpoint.Send(new ProcessOrder(orderId), context => context.MessageId = messageId, Cancellation);

        // The twin's pass saves the row's receive count when it finds the message delivered.
        await Eventually.Until(async () => await CountAsync("inbox_state", $"message_id = '{messageId}' AND delivered IS NOT NULL AND receive_count = 2") == 1,
            "the twin was received as a duplicate of the consumed message", LongWait);
        await Eventually.Until(() => QueueIsDrainedAsync(inboxQueue), "both copies were acknowledged", LongWait);
        Assert.Equal(0, pauses.Count);
        Assert.Equal(1, consumer.Probe.Runs[orderId]);
        Assert.Equal(1, await CountAsync("consumed_records", $"order_id = '{orderId}'"));
        Assert.Equal(0u, await MessageCountAsync($"{inboxQueue}_error"));
        await ConsumerMessagesDeliveredAsync(orderId);
    }

    [Fact]
    public async Task A_database_that_silently_drops_packets_pauses_the_consumer_within_its_timeouts_without_spending_its_retries()
    {
        var postgres = new NpgsqlConnectionStringBuilder(ConnectionString);
        await using var databaseProxy = new TcpProxy(postgres.Host!, postgres.Port);
        var inboxQueue = NewQueueName("inbox");
        var pauses = new EndpointStops();
        var consumer = await StartHostAsync(inboxQueue: inboxQueue,
            connectionString: new NpgsqlConnectionStringBuilder(ConnectionString) { Port = databaseProxy.Port, CommandTimeout = 1, Timeout = 2 }.ConnectionString,
            configureInbox: endpoint =>
            {
                // Retries that would take half a minute before the endpoint heard of the outage.
                endpoint.UseMessageRetry(retry => retry.Interval(3, TimeSpan.FromSeconds(10)));
                endpoint.PauseWhileDatabaseUnavailable(killSwitch => killSwitch.SetActivationThreshold(1).SetRestartTimeout(TimeSpan.FromSeconds(1)));
                endpoint.ConnectReceiveEndpointObserver(pauses);
            });
        var orderId = Guid.NewGuid();

        databaseProxy.Blackhole();
        await (await consumer.Bus.GetSendEndpoint(new Uri($"queue:{inboxQueue}"))).Send(new ProcessOrder(orderId), Cancellation);

        // Two attempts (the kill switch's activation), each bounded by the command, connect and cancellation timeouts.
        await Eventually.Until(() => pauses.Count > 0, "the kill switch stopped the endpoint before the retries were spent", TimeSpan.FromSeconds(25));
        Assert.False(consumer.Probe.Runs.ContainsKey(orderId));
        Assert.Equal(0u, await MessageCountAsync($"{inboxQueue}_error"));

        databaseProxy.Restore();
        await Eventually.Until(async () => await CountAsync("consumed_records", $"order_id = '{orderId}'") == 1,
            "the consumer's work committed once the database answered again", LongWait);
        await Eventually.Until(() => QueueIsDrainedAsync(inboxQueue), "the message was acknowledged", LongWait);
        Assert.Equal(1, consumer.Probe.Completions[orderId]);
        await ConsumerMessagesDeliveredAsync(orderId);
    }

    [Fact]
    public async Task The_inbox_row_of_an_instance_that_froze_while_consuming_is_released_and_a_twin_is_consumed_by_another_instance()
    {
        var postgres = new NpgsqlConnectionStringBuilder(ConnectionString);
        await using var frozenNetwork = new TcpProxy(postgres.Host!, postgres.Port);
        var inboxQueue = NewQueueName("inbox");
        var frozen = await StartHostAsync(inboxQueue: inboxQueue, inboxConcurrency: 1,
            connectionString: PostgresSessionDefaults.Apply(new NpgsqlConnectionStringBuilder(ConnectionString)
            {
                Port = frozenNetwork.Port, CommandTimeout = 2, Timeout = 2, Options = "-c idle_in_transaction_session_timeout=2s",
            }.ConnectionString));
        var orderId = Guid.NewGuid();
        var messageId = NewId.NextGuid();
        // The first instance is still inside the consumer (its inbox row locked) when it freezes.
        frozen.Probe.WorkFor[orderId] = TimeSpan.FromSeconds(3);
        var endpoint = await frozen.Bus.GetSendEndpoint(new Uri($"queue:{inboxQueue}"));
        await endpoint.Send(new ProcessOrder(orderId), context => context.MessageId = messageId, Cancellation);
        await Eventually.Until(() => frozen.Probe.Runs.ContainsKey(orderId), "the first instance is consuming", LongWait);
        frozenNetwork.Blackhole();

        // The twin goes to the other instance: the frozen one holds its only delivery slot.
        var other = await StartHostAsync(inboxQueue: inboxQueue, connectionString: PostgresSessionDefaults.Apply(ConnectionString));
        await endpoint.Send(new ProcessOrder(orderId), context => context.MessageId = messageId, Cancellation);

        await Eventually.Until(async () => await CountAsync("inbox_state", $"message_id = '{messageId}' AND delivered IS NOT NULL") == 1,
            "the other instance consumed the twin once the server ended the frozen session", TimeSpan.FromSeconds(15));
        Assert.Equal(1, other.Probe.Completions[orderId]);
        Assert.Equal(1, await CountAsync("consumed_records", $"order_id = '{orderId}'"));
        await ConsumerMessagesDeliveredAsync(orderId);
    }

    /// <summary>The consumer's outgoing message for the order has left the outbox.</summary>
    private Task ConsumerMessagesDeliveredAsync(Guid orderId) =>
        Eventually.Until(async () => await CountAsync("outbox_message", $"body LIKE '%{orderId}%'") == 0,
            "the consumer's outgoing message was delivered", LongWait);
}
