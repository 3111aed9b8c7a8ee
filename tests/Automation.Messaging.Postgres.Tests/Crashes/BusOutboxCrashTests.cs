using System.Globalization;
using Automation.Messaging.Postgres.CrashHost;
using Automation.Testing;

namespace Automation.Messaging.Postgres.Tests.Crashes;

/// <summary>A service process killed with SIGKILL after its request committed messages to the bus outbox and before its
/// delivery finished; another instance finishes the work.</summary>
public sealed class BusOutboxCrashTests(PostgresDatabase database, RabbitMqVirtualHost virtualHost)
    : IClassFixture<PostgresDatabase>, IClassFixture<RabbitMqVirtualHost>
{
    private const int Orders = 20;

    [Theory]
    [InlineData("before-send", 0)]
    [InlineData("after-send", CrashHostProgram.SendsBeforeCrash)]
    public async Task A_process_killed_between_its_commit_and_the_end_of_delivery_loses_nothing_and_each_order_takes_effect_once(
        string crashPoint, int alreadySent)
    {
        List<Guid> orderIds;
        long receivedBefore;
        await using (var publisher = CrashHostProcess.Start(database, virtualHost, "publish", Orders.ToString(CultureInfo.InvariantCulture), crashPoint))
        {
            await publisher.WaitForLineAsync(CrashHostProgram.Ready);
            receivedBefore = await database.ReceivesAsync();
            orderIds = (await publisher.WaitForLineAsync(CrashHostProgram.Committed)).Split(',').Select(Guid.Parse).ToList();
            await publisher.WaitForLineAsync(CrashHostProgram.CrashPointReached);
            await publisher.KillAsync();
        }

        // Between the commit and the end of delivery: every message still stored, the broker holding those sent before.
        Assert.Equal(Orders, await database.OutboxMessagesAsync());
        Assert.Equal((uint)alreadySent, await virtualHost.MessageCount(ProcessCrashOrderConsumerDefinition.Queue));

        await using var next = CrashHostProcess.Start(database, virtualHost, "serve");
        // The messages sent before the crash are sent again: each order arrives once, those twice.
        await Eventually.Until(async () => await database.ReceivesAsync() - receivedBefore == Orders + alreadySent,
            "the next instance delivered the outbox and its consumer received every message", TimeSpan.FromSeconds(60));
        Assert.All(await database.EffectsAsync(orderIds), effects => Assert.Equal(1, effects));
        Assert.Equal(0, await database.OutboxMessagesAsync());
    }
}
