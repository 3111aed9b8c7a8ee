using Automation.Messaging.Postgres.Tests.Hosting;
using Automation.Messaging.Postgres.Tests.Infrastructure;
using Automation.Testing;
using MassTransit;
using Npgsql;

namespace Automation.Messaging.Postgres.Tests.Scheduling;

/// <summary>The scheduler while its database is unreachable (cut by a proxy in front of the shared server).</summary>
public sealed class SchedulerOutageTests(PostgresDatabase database, RabbitMqVirtualHost virtualHost)
    : IClassFixture<PostgresDatabase>, IClassFixture<RabbitMqVirtualHost>
{
    [Fact]
    public async Task A_message_scheduled_while_the_database_is_down_is_delivered_once_it_returns()
    {
        var postgres = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        await using var proxy = new TcpProxy(postgres.Host!, postgres.Port);
        var stops = new EndpointStops();
        await using var service = await SchedulerService.StartAsync(database, virtualHost,
            configureBus: bus =>
            {
                bus.AddConfigureEndpointsCallback((queue, endpoint) =>
                {
                    if (queue == SchedulerService.SchedulerQueue)
                    {
                        endpoint.ConnectReceiveEndpointObserver(stops);
                    }
                });
            },
            configureScheduler: scheduler => scheduler.RetryDelay = TimeSpan.FromMilliseconds(500),
            connectionString: new NpgsqlConnectionStringBuilder(database.ConnectionString) { Port = proxy.Port, Pooling = false }.ConnectionString);
        var reminderId = Guid.NewGuid();
        var dueAt = DateTime.UtcNow.AddSeconds(2);

        proxy.Cut();
        await service.ScheduleReminder(reminderId, dueAt);
        await Eventually.Until(() => stops.Count > 0, "the scheduler queue paused instead of failing the command",
            TimeSpan.FromSeconds(60));
        Assert.False(service.Arrivals().Arrived(reminderId));

        proxy.Restore();
        await Eventually.Until(() => service.Arrivals().Arrived(reminderId), "the reminder was delivered after the database returned",
            TimeSpan.FromSeconds(90));
        var arrival = Assert.Single(service.Arrivals().Of(reminderId));
        Assert.True(arrival.ArrivedAt >= dueAt);
        // MassTransit publishes a Fault<ScheduleMessage> for each attempt that met the outage, but the command itself was
        // handed back to the queue, never moved to the error queue.
        Assert.Equal(0u, await virtualHost.MessageCount($"{SchedulerService.SchedulerQueue}_error"));
    }
}
