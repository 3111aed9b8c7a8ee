using System.Diagnostics.Metrics;
using Automation.Messaging.Postgres.Tests.Infrastructure;
using Automation.Messaging.Postgres.Tests.Messages;
using Automation.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Automation.Messaging.Postgres.Tests.Contract;

/// <summary>The backlog as operators scrape it: the gauges <c>automation.outbox.backlog.messages</c> and
/// <c>automation.outbox.backlog.oldest_age</c> of a service whose broker is away, read as metrics (nothing asks the monitor
/// itself), count what waits in its bus outbox and fall to zero once it is delivered.</summary>
public sealed class OutboxBacklogGaugeTests(PostgresDatabase database, RabbitMqVirtualHost vhost)
    : IClassFixture<PostgresDatabase>, IClassFixture<RabbitMqVirtualHost>
{
    private const int Waiting = 20;

    private static readonly TimeSpan LongWait = TimeSpan.FromSeconds(90);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_backlog_gauges_count_the_messages_waiting_for_the_broker_and_fall_to_zero_once_they_are_delivered()
    {
        var servers = await TestInfrastructure.GetServersAsync();
        await using var brokerProxy = new TcpProxy(servers.RabbitMqUri.Host, servers.RabbitMqUri.Port);
        await using var receiver = await ComplianceHost.StartAsync(new ComplianceHostSettings
        {
            ConnectionString = database.ConnectionString,
            RabbitMqUri = vhost.Uri,
            ReceiverQueue = $"receiver-{Guid.NewGuid():N}",
            Outbox = outbox => outbox.DisableInboxCleanupService(),
        });
        await using var publisher = await ComplianceHost.StartAsync(new ComplianceHostSettings
        {
            ConnectionString = database.ConnectionString,
            RabbitMqUri = new UriBuilder(vhost.Uri) { Port = brokerProxy.Port }.Uri,
            Outbox = outbox =>
            {
                outbox.QueryDelay = TimeSpan.FromSeconds(1);
                // A send to the missing broker is given up after a second (not 10), and the backlog measured after that pass.
                outbox.UseBusOutbox(bus => bus.MessageDeliveryTimeout = TimeSpan.FromSeconds(1));
            },
        });
        var meters = publisher.Services.GetRequiredService<IMeterFactory>();
        using var messages = new MetricCollector<long>(meters, MessagingPostgresInstrumentation.Name, "automation.outbox.backlog.messages");
        using var oldestAge = new MetricCollector<double>(meters, MessagingPostgresInstrumentation.Name, "automation.outbox.backlog.oldest_age");
        // The publisher's connection runs through the proxy before it is cut.
        var marker = new Marker(Guid.NewGuid());
        await publisher.Bus.Publish(marker, Cancellation);
        await Eventually.Until(() => receiver.Received.Saw(marker), "the receiver consumed the publisher's marker", LongWait);

        brokerProxy.Cut();
        var orders = Enumerable.Range(0, Waiting).Select(_ => Guid.NewGuid()).ToArray();
        foreach (var orderId in orders)
        {
            await publisher.CommitAsync((_, publish) => publish.Publish(new OrderPlaced(orderId, 0), Cancellation));
        }

        await Eventually.Until(() => Read(messages) == Waiting && Read(oldestAge) > 0,
            $"the gauges counted the {Waiting} messages waiting and a positive age", LongWait);

        brokerProxy.Restore();
        await Eventually.Until(() => orders.All(orderId => receiver.Received.Of<OrderPlaced>().Any(r => ((OrderPlaced)r.Message).OrderId == orderId)),
            "every message committed during the outage arrived", LongWait);
        await Eventually.Until(() => Read(messages) == 0 && Read(oldestAge) == 0, "the gauges fell to zero", LongWait);
    }

    /// <summary>The gauge's value now, as a scrape would read it; null when the service has no such gauge.</summary>
    private static T? Read<T>(MetricCollector<T> gauge)
        where T : struct
    {
        gauge.RecordObservableInstruments();
        return gauge.LastMeasurement?.Value;
    }
}
