using Automation.Messaging.Postgres.CrashHost;
using Automation.Testing;
using MassTransit;

namespace Automation.Messaging.Postgres.Tests.Crashes;

/// <summary>A consumer process killed with SIGKILL after its inbox committed a message's effect and before the broker
/// heard the acknowledgement; another instance finishes the work.</summary>
public sealed class InboxCrashTests(PostgresDatabase database, RabbitMqVirtualHost virtualHost)
    : IClassFixture<PostgresDatabase>, IClassFixture<RabbitMqVirtualHost>
{
    private const int Orders = 10;

    [Fact]
    public async Task A_consumer_killed_between_its_commit_and_the_acknowledgement_takes_effect_once_per_message()
    {
        var orderIds = Enumerable.Range(0, Orders).Select(_ => Guid.NewGuid()).ToList();
        await using (var crashing = CrashHostProcess.Start(database, virtualHost, "serve", "after-consume"))
        {
            await crashing.WaitForLineAsync(CrashHostProgram.Ready);
            await SendAsync(orderIds);
            await crashing.WaitForLineAsync(CrashHostProgram.CrashPointReached);
            await crashing.KillAsync();
        }

        // The first message took effect and its inbox row says so; the broker still has it, unacknowledged, with the rest.
        Assert.Equal(1, (await database.EffectsAsync(orderIds)).Sum());
        Assert.Equal(1, await database.ReceivesAsync());
        await Eventually.Until(async () => await virtualHost.MessageCount(ProcessCrashOrderConsumerDefinition.Queue) == Orders,
            "the broker returned the unacknowledged message to the queue");

        await using var next = CrashHostProcess.Start(database, virtualHost, "serve");
        await Eventually.Until(async () => await database.ReceivesAsync() == Orders + 1,
            "the next instance received every message, the first one again", TimeSpan.FromSeconds(60));
        Assert.All(await database.EffectsAsync(orderIds), effects => Assert.Equal(1, effects));
    }

    private async Task SendAsync(IEnumerable<Guid> orderIds)
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(virtualHost.Uri));
        await bus.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            var endpoint = await bus.GetSendEndpoint(new Uri($"queue:{ProcessCrashOrderConsumerDefinition.Queue}"));
            foreach (var orderId in orderIds)
            {
                await endpoint.Send(new ProcessCrashOrder(orderId), TestContext.Current.CancellationToken);
            }
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }
    }
}
