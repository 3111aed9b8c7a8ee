using Automation.Messaging.Postgres.Tests.Hosting;
using Automation.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Messaging.Postgres.Tests.Scheduling;

/// <summary>Scheduling outside a consumer (a web request) in a service with the bus outbox: the schedule command is part
/// of the request's transaction.</summary>
public sealed class SchedulingThroughTheBusOutboxTests(PostgresDatabase database, RabbitMqVirtualHost virtualHost)
    : IClassFixture<PostgresDatabase>, IClassFixture<RabbitMqVirtualHost>
{
    [Fact]
    public async Task A_message_scheduled_in_a_request_is_scheduled_only_if_the_request_commits()
    {
        await using var service = await SchedulerService.StartAsync(database, virtualHost,
            configureBus: bus => bus.AddPostgresOutbox<TestServiceDbContext>(outbox => outbox.UseBusOutbox()));
        var dueAt = DateTime.UtcNow.AddSeconds(1);

        var committed = Guid.NewGuid();
        await service.ScheduleReminder(committed, dueAt);

        var rolledBack = Guid.NewGuid();
        ScheduledMessage<Reminder> abandoned;
        await using (var request = service.Services.CreateAsyncScope())
        {
            abandoned = await request.ServiceProvider.GetRequiredService<IMessageScheduler>()
                .ScheduleSend(ReminderConsumer.Address, dueAt, new Reminder(rolledBack), TestContext.Current.CancellationToken);
            // The request fails before SaveChanges: its rows, and the schedule command with them, are never written.
        }

        await Eventually.Until(() => service.Arrivals().Arrived(committed), "the committed request's reminder arrived",
            TimeSpan.FromSeconds(60));
        Assert.True(Assert.Single(service.Arrivals().Of(committed)).ArrivedAt >= dueAt);
        await service.WaitForSentinelDueAfter(dueAt);
        Assert.False(service.Arrivals().Arrived(rolledBack), "the reminder of a request that did not commit was delivered");
        Assert.Null(await service.StoredMessage(abandoned.TokenId));
    }
}
