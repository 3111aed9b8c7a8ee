using System.Net;
using Automation.Ingress.Tests.Infrastructure;
using Automation.Testing;

namespace Automation.Ingress.Tests.Acceptance;

/// <summary>An event answered 202 while no queue is bound to take it (the consumers' topology not deployed yet, e.g. a
/// Kubernetes Job that has not run) is not dropped by RabbitMQ: it comes back, stays in the outbox, and is delivered once a
/// queue takes it.</summary>
public sealed class UnroutableEventTests(UnroutableEventTests.Service ingress) : IClassFixture<UnroutableEventTests.Service>
{
    public sealed class Service : IngressServiceFixture
    {
        protected override bool WatchPublishedFromStart => false;
    }

    [Fact]
    public async Task An_event_accepted_before_any_queue_is_bound_stays_in_the_outbox_and_is_delivered_once_one_is()
    {
        var eventId = TestWebhooks.NewEventId();

        using (var response = await ingress.Client.SendAsync(TestWebhooks.Hex("hex", TestWebhooks.Envelope(eventId)),
                   TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        // Dropped, it would count as drop_unroutable and leave the outbox; returned, it is sent again by later passes.
        await Eventually.Until(async () => await ingress.VirtualHost.MessageStatistic("return_unroutable") > 0,
            "RabbitMQ returned the event (its statistics refresh every few seconds)", TimeSpan.FromSeconds(30));
        Assert.Equal(1, await ingress.UndeliveredCountAsync());
        Assert.Equal(0, await ingress.VirtualHost.MessageStatistic("drop_unroutable"));

        await ingress.WatchPublishedAsync();

        await ingress.Published.WaitForAsync(eventId);
        await Eventually.Until(async () => await ingress.UndeliveredCountAsync() == 0, "the outbox is empty");
        Assert.Single(ingress.Published.For(eventId));
    }
}
