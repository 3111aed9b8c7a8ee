using Automation.Testing;

namespace Automation.Messaging.Postgres.Tests.Scheduling;

/// <summary>Two replicas of a service share its scheduler queue and its table: each due message is sent by one of them.</summary>
public sealed class SchedulerReplicaTests(PostgresDatabase database, RabbitMqVirtualHost virtualHost)
    : IClassFixture<PostgresDatabase>, IClassFixture<RabbitMqVirtualHost>
{
    [Fact]
    public async Task Two_replicas_deliver_each_due_message_once()
    {
        var arrivals = new Arrivals();
        await using var first = await SchedulerService.StartAsync(database, virtualHost, arrivals);
        await using var second = await SchedulerService.StartAsync(database, virtualHost, arrivals);
        var dueAt = DateTime.UtcNow.AddSeconds(2);
        var reminderIds = Enumerable.Range(0, 200).Select(_ => Guid.NewGuid()).ToList();

        // All due at the same moment, so both replicas' delivery loops reach for the same rows.
        await Task.WhenAll(reminderIds.Select((reminderId, index) =>
            (index % 2 == 0 ? first : second).ScheduleReminder(reminderId, dueAt)));

        await Eventually.Until(() => reminderIds.All(arrivals.Arrived), "every reminder arrived", TimeSpan.FromSeconds(60));
        await first.WaitForSentinelDueAfter(dueAt);
        Assert.All(reminderIds, reminderId => Assert.Single(arrivals.Of(reminderId)));
    }
}
