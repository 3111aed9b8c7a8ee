using System.Collections.Concurrent;
using Automation.Messaging.Postgres.Tests.Infrastructure;
using Automation.Messaging.Postgres.Tests.Messages;
using Automation.Testing;
using MassTransit;
using Npgsql;

namespace Automation.Messaging.Postgres.Tests.Contract;

/// <summary>Delivery passes of two services racing for the same outboxes, each holding several batches: a pass that takes
/// an outbox the moment another pass committed a partial batch of it must not send that batch again. Older outboxes held
/// by a third party (say, an instance whose pass waits for the broker) make every pass skip them first, which leaves the
/// time in which another pass can commit between the start of a pass's statement and its lock of the outbox.</summary>
public sealed class DeliveryPassRaceTests(PostgresDatabase database, RabbitMqVirtualHost vhost)
    : IClassFixture<PostgresDatabase>, IClassFixture<RabbitMqVirtualHost>, IAsyncLifetime
{
    private const int Rounds = 3;
    private const int OutboxesPerRound = 20;
    private const int MessagesPerOutbox = 40;
    private const int HeldOutboxes = 10000;

    private readonly List<ComplianceHost> _hosts = [];

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_message_of_outboxes_larger_than_a_batch_is_sent_once()
    {
        var writer = await StartAsync(outbox => outbox.UseBusOutbox(bus => bus.DisableDeliveryService()));
        var sends = new SendCounter();
        for (var service = 0; service < 2; service++)
        {
            var delivery = await StartAsync(outbox =>
            {
                // Small batches of large outboxes, and passes that look again soon: after each partial batch, another
                // pass can take the outbox the moment its lock is released.
                outbox.QueryDelay = TimeSpan.FromMilliseconds(50);
                outbox.QueryMessageLimit = 5;
                outbox.UseBusOutbox(bus => bus.MessageDeliveryLimit = 4);
            });
            delivery.Bus.ConnectSendObserver(sends);
        }

        await using var holder = await HoldOlderOutboxesAsync();
        var published = new List<Guid>();
        for (var round = 0; round < Rounds; round++)
        {
            var outboxes = Enumerable.Range(0, OutboxesPerRound)
                .Select(_ => Enumerable.Range(0, MessagesPerOutbox).Select(_ => NewId.NextGuid()).ToArray()).ToArray();
            await Task.WhenAll(outboxes.Select(messageIds => writer.CommitAsync(async (_, publish) =>
            {
                var orderId = Guid.NewGuid();
                for (var position = 0; position < messageIds.Length; position++)
                {
                    await publish.Publish(new OrderPlaced(orderId, position), context => context.MessageId = messageIds[position], Cancellation);
                }
            })));
            published.AddRange(outboxes.SelectMany(messageIds => messageIds));
            // A pass deletes what it sent only after the broker took it: an empty outbox means every send is counted.
            await Eventually.Until(async () => await OutboxMessagesAsync() == 0, "the delivery services sent every message", TimeSpan.FromSeconds(60));
        }

        var repeated = published.Count(messageId => sends.Of(messageId) > 1);
        Assert.True(repeated == 0, $"{repeated} of {published.Count} messages were sent more than once");
        Assert.All(published, messageId => Assert.Equal(1, sends.Of(messageId)));
    }

    private async Task<ComplianceHost> StartAsync(Action<PostgresOutboxConfigurator> outbox)
    {
        var host = await ComplianceHost.StartAsync(new ComplianceHostSettings
        {
            ConnectionString = database.ConnectionString,
            RabbitMqUri = vhost.Uri,
            AsTheServices = true,
            Outbox = outbox,
        });
        _hosts.Add(host);
        return host;
    }

    /// <summary>Empty outboxes older than any other, locked by a transaction that lasts until the returned connection closes.</summary>
    private async Task<NpgsqlConnection> HoldOlderOutboxesAsync()
    {
        var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(Cancellation);
        await using var hold = new NpgsqlCommand($"""
            INSERT INTO {TestDbContext.Schema}.outbox_state (outbox_id, created)
            SELECT gen_random_uuid(), now() - interval '1 hour' FROM generate_series(1, {HeldOutboxes});
            BEGIN;
            SELECT count(*) FROM (SELECT outbox_id FROM {TestDbContext.Schema}.outbox_state FOR UPDATE) held;
            """, connection);
        await hold.ExecuteNonQueryAsync(Cancellation);
        return connection;
    }

    private async Task<long> OutboxMessagesAsync()
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(Cancellation);
        await using var count = new NpgsqlCommand($"SELECT count(*) FROM {TestDbContext.Schema}.outbox_message", connection);
        return (long)(await count.ExecuteScalarAsync(Cancellation))!;
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var host in Enumerable.Reverse(_hosts))
        {
            await host.DisposeAsync();
        }
    }

    /// <summary>Counts, per MessageId, the sends the broker confirmed.</summary>
    private sealed class SendCounter : ISendObserver
    {
        private readonly ConcurrentDictionary<Guid, int> _sends = new();

        public int Of(Guid messageId) => _sends.GetValueOrDefault(messageId);

        public Task PostSend<T>(SendContext<T> context)
            where T : class
        {
            _sends.AddOrUpdate(context.MessageId!.Value, 1, (_, count) => count + 1);
            return Task.CompletedTask;
        }

        public Task PreSend<T>(SendContext<T> context)
            where T : class => Task.CompletedTask;

        public Task SendFault<T>(SendContext<T> context, Exception exception)
            where T : class => Task.CompletedTask;
    }
}
