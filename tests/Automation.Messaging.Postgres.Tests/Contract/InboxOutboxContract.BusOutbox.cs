using System.Diagnostics;
using Automation.Messaging.Postgres.Tests.Infrastructure;
using Automation.Messaging.Postgres.Tests.Messages;
using Automation.Testing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Messaging.Postgres.Tests.Contract;

public abstract partial class InboxOutboxContract
{
    [Fact]
    public async Task A_committed_message_is_delivered_with_its_message_id_headers_and_trace()
    {
        using var listener = ListenToActivities();
        var receiver = await StartHostAsync(receiverQueue: NewQueueName("receiver"));
        var publisher = await StartHostAsync();
        var orderId = Guid.NewGuid();
        var messageId = NewId.NextGuid();
        using var request = new ActivitySource("Automation.Tests").StartActivity("request")!;

        await publisher.CommitAsync((db, publish) =>
        {
            db.Orders.Add(new Order { Id = orderId, Note = "placed" });
            return publish.Publish(new OrderPlaced(orderId, 0), context =>
            {
                context.MessageId = messageId;
                context.Headers.Set(RecordingConsumer<OrderPlaced>.TestHeader, "kept");
            }, Cancellation);
        });

        await Eventually.Until(() => receiver.Received.Of<OrderPlaced>().Any(r => ((OrderPlaced)r.Message).OrderId == orderId),
            "the receiver consumed the committed message", LongWait);
        var received = receiver.Received.Of<OrderPlaced>().Single(r => ((OrderPlaced)r.Message).OrderId == orderId);
        Assert.Equal(messageId, received.MessageId);
        Assert.Equal("kept", received.TestHeader);
        Assert.Equal(request.TraceId, received.TraceId);
        Assert.Equal(1, await CountAsync("orders", $"id = '{orderId}'"));
    }

    [Fact]
    public async Task Nothing_is_published_when_the_application_transaction_rolls_back()
    {
        var receiver = await StartHostAsync(receiverQueue: NewQueueName("receiver"));
        var publisher = await StartHostAsync();
        var rolledBack = Guid.NewGuid();

        await using (var scope = publisher.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
            var publish = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
            await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(Cancellation);
                db.Orders.Add(new Order { Id = rolledBack, Note = "rolled back" });
                await publish.Publish(new OrderPlaced(rolledBack, 0), Cancellation);
                await db.SaveChangesAsync(Cancellation);
                await transaction.RollbackAsync(Cancellation);
            });
        }

        var committed = Guid.NewGuid();
        await publisher.CommitAsync((db, publish) => publish.Publish(new OrderPlaced(committed, 0), Cancellation));
        await Eventually.Until(() => receiver.Received.Of<OrderPlaced>().Any(r => ((OrderPlaced)r.Message).OrderId == committed),
            "the message committed after the rollback arrived", LongWait);
        await DrainAsync(publisher, receiver);

        Assert.DoesNotContain(receiver.Received.Of<OrderPlaced>(), r => ((OrderPlaced)r.Message).OrderId == rolledBack);
        Assert.Equal(0, await CountAsync("orders", $"id = '{rolledBack}'"));
    }

    [Fact]
    public async Task Messages_of_one_transaction_arrive_in_the_order_they_were_published()
    {
        var receiver = await StartHostAsync(receiverQueue: NewQueueName("receiver"));
        var publisher = await StartHostAsync();
        var orderId = Guid.NewGuid();

        await publisher.CommitAsync(async (_, publish) =>
        {
            for (var position = 0; position < 30; position++)
            {
                await publish.Publish(new OrderPlaced(orderId, position), Cancellation);
            }
        });

        await Eventually.Until(() => Positions(receiver, orderId).Count == 30, "all 30 messages arrived", LongWait);
        Assert.Equal(Enumerable.Range(0, 30), Positions(receiver, orderId));
    }

    [Fact]
    public async Task Commits_succeed_while_the_broker_is_unreachable_and_their_messages_are_delivered_when_it_returns()
    {
        var servers = await TestInfrastructure.GetServersAsync();
        await using var brokerProxy = new TcpProxy(servers.RabbitMqUri.Host, servers.RabbitMqUri.Port);
        var receiver = await StartHostAsync(receiverQueue: NewQueueName("receiver"));
        var publisher = await StartHostAsync(rabbitMqUri: new UriBuilder(RabbitMqUri) { Port = brokerProxy.Port }.Uri);
        var orders = Enumerable.Range(0, 20).Select(_ => Guid.NewGuid()).ToArray();

        // The publisher's connection runs through the proxy before it is cut.
        await DrainAsync(publisher, receiver);
        brokerProxy.Cut();
        foreach (var orderId in orders)
        {
            await publisher.CommitAsync((db, publish) =>
            {
                db.Orders.Add(new Order { Id = orderId, Note = "while the broker is away" });
                return publish.Publish(new OrderPlaced(orderId, 0), Cancellation);
            });
        }

        var backlog = publisher.Services.GetRequiredService<IOutboxBacklogMonitor>();
        // The backlog is measured at most once a second: wait until a measurement sees every waiting message.
        await Eventually.Until(async () => (await backlog.GetAsync(Cancellation)).MessageCount >= orders.Length,
            "the backlog counts every message committed during the outage", LongWait);
        var measured = await backlog.GetAsync(Cancellation);
        Assert.True(measured.OldestAge > TimeSpan.Zero, $"backlog {measured}");
        Assert.Equal(orders.Length, await CountAsync("orders", $"id = ANY(ARRAY[{string.Join(",", orders.Select(o => $"'{o}'::uuid"))}])"));

        brokerProxy.Restore();
        await Eventually.Until(() => orders.All(orderId => receiver.Received.Of<OrderPlaced>().Any(r => ((OrderPlaced)r.Message).OrderId == orderId)),
            "every message committed during the outage arrived", LongWait);
        await Eventually.Until(() => OutboxIsEmptyAsync(publisher), "the outbox is empty", LongWait);
    }

    [Fact]
    public async Task Messages_committed_by_a_process_that_died_before_delivering_are_delivered_by_the_next_one()
    {
        var receiver = await StartHostAsync(receiverQueue: NewQueueName("receiver"));
        var orders = Enumerable.Range(0, 10).Select(_ => Guid.NewGuid()).ToArray();
        await using (var dying = await ComplianceHost.StartAsync(new ComplianceHostSettings
        {
            ConnectionString = ConnectionString,
            RabbitMqUri = RabbitMqUri,
            RetryOnFailure = RetryOnFailure,
            AsTheServices = AsTheServices,
            Outbox = outbox => outbox.UseBusOutbox(bus => bus.DisableDeliveryService()),
        }))
        {
            foreach (var orderId in orders)
            {
                await dying.CommitAsync((_, publish) => publish.Publish(new OrderPlaced(orderId, 0), Cancellation));
            }
        }

        Assert.True(await CountAsync("outbox_message", "outbox_id IS NOT NULL") >= orders.Length);
        var restarted = await StartHostAsync();

        await Eventually.Until(() => orders.All(orderId => receiver.Received.Of<OrderPlaced>().Any(r => ((OrderPlaced)r.Message).OrderId == orderId)),
            "the restarted process delivered everything the dead one committed", LongWait);
        await Eventually.Until(() => OutboxIsEmptyAsync(restarted), "the outbox is empty", LongWait);
    }

    [Fact]
    public async Task Two_delivery_services_on_one_outbox_send_each_message_to_the_broker_once()
    {
        var receiver = await StartHostAsync(receiverQueue: NewQueueName("receiver"));
        var writer = await StartHostAsync(outbox: outbox => outbox.UseBusOutbox(bus => bus.DisableDeliveryService()));
        var orders = Enumerable.Range(0, 300).Select(_ => Guid.NewGuid()).ToArray();
        foreach (var batch in orders.Chunk(3))
        {
            await Task.WhenAll(batch.Select(orderId => writer.CommitAsync((_, publish) => publish.Publish(new OrderPlaced(orderId, 0), Cancellation))));
        }

        var small = (Action<PostgresOutboxConfigurator>)(outbox =>
        {
            // Small batches make the two services meet on the same rows many times.
            outbox.QueryMessageLimit = 5;
            outbox.UseBusOutbox();
        });
        var first = await StartHostAsync(outbox: small);
        var second = await StartHostAsync(outbox: small);

        await Eventually.Until(() => OutboxIsEmptyAsync(first), "the two services emptied the outbox", LongWait);
        await DrainAsync(second, receiver);
        var counts = receiver.Received.Of<OrderPlaced>().GroupBy(r => ((OrderPlaced)r.Message).OrderId).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(orders, orderId => Assert.Equal(1, counts.GetValueOrDefault(orderId)));
    }

    private static List<int> Positions(ComplianceHost receiver, Guid orderId) =>
        receiver.Received.Of<OrderPlaced>().Select(r => (OrderPlaced)r.Message).Where(m => m.OrderId == orderId).Select(m => m.Position).ToList();

    private static ActivityListener ListenToActivities()
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "MassTransit" or "Automation.Tests" || source.Name.StartsWith("Automation.", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
