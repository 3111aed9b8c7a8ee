using System.Net;
using Automation.Ingress.Tests.Infrastructure;
using Automation.Testing;

namespace Automation.Ingress.Tests.Acceptance;

/// <summary>RabbitMQ goes away (a proxy in front of the shared broker is cut): the bus outbox keeps accepting into
/// PostgreSQL and delivers once the broker is back, until its backlog passes the limit and new events get 503.</summary>
public sealed class BrokerOutageTests(BrokerOutageTests.Service ingress) : IClassFixture<BrokerOutageTests.Service>, IAsyncLifetime
{
    private const int MaxBacklog = 3;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public sealed class Service : IngressServiceFixture
    {
        private TcpProxy? _proxy;

        public TcpProxy Proxy => _proxy ?? throw new InvalidOperationException("The service has not started.");

        protected override Dictionary<string, string?> Settings()
        {
            var settings = base.Settings();
            _proxy ??= new TcpProxy(VirtualHost.Uri.Host, VirtualHost.Uri.Port);
            settings["RabbitMq:Uri"] = new UriBuilder(VirtualHost.Uri) { Host = "127.0.0.1", Port = _proxy.Port }.Uri.ToString();
            settings["Ingress:Outbox:MaxBacklog"] = MaxBacklog.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return settings;
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            if (_proxy is not null)
            {
                await _proxy.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task While_the_broker_is_unreachable_a_webhook_is_accepted_and_published_once_it_is_back()
    {
        var eventId = TestWebhooks.NewEventId();

        ingress.Proxy.Cut();
        try
        {
            using var response = await ingress.Client.SendAsync(TestWebhooks.Hex("hex", TestWebhooks.Envelope(eventId)), Cancellation);

            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            Assert.Single(await ingress.StoredAsync(eventId));
            Assert.Equal(1, await ingress.UndeliveredCountAsync());
        }
        finally
        {
            ingress.Proxy.Restore();
        }

        await ingress.Published.WaitForAsync(eventId);
        await ingress.AssertNothingPublishedAsync("no-such-event");
        Assert.Single(ingress.Published.For(eventId));
    }

    [Fact]
    public async Task Past_the_backlog_limit_new_events_get_503_while_duplicates_are_still_recognised()
    {
        var first = TestWebhooks.NewEventId();
        string? refused = null;

        ingress.Proxy.Cut();
        try
        {
            using (var accepted = await ingress.Client.SendAsync(TestWebhooks.Hex("hex", TestWebhooks.Envelope(first)), Cancellation))
            {
                Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            }

            // The backlog is measured at most once a second, so a few more may be accepted before the limit shows.
            await Eventually.Until(async () =>
            {
                var eventId = TestWebhooks.NewEventId();
                using var response = await ingress.Client.SendAsync(TestWebhooks.Hex("hex", TestWebhooks.Envelope(eventId)), Cancellation);
                if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
                {
                    Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                    return false;
                }

                Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
                refused = eventId;
                return true;
            }, "the outbox passed its backlog limit");

            Assert.InRange(await ingress.UndeliveredCountAsync(), MaxBacklog, 100);
            Assert.Empty(await ingress.StoredAsync(refused!));
            using var duplicate = await ingress.Client.SendAsync(TestWebhooks.Hex("hex", TestWebhooks.Envelope(first)), Cancellation);
            Assert.Equal(HttpStatusCode.OK, duplicate.StatusCode);
        }
        finally
        {
            ingress.Proxy.Restore();
        }

        await ingress.Published.WaitForAsync(first);
        await Eventually.Until(async () =>
        {
            using var retry = await ingress.Client.SendAsync(TestWebhooks.Hex("hex", TestWebhooks.Envelope(refused!)), Cancellation);
            return retry.StatusCode == HttpStatusCode.Accepted;
        }, "the refused event was accepted once the backlog was delivered");
    }

    /// <summary>Each test starts with the broker reachable and nothing left in the outbox by the other.</summary>
    public async ValueTask InitializeAsync() =>
        await Eventually.Until(async () => await ingress.UndeliveredCountAsync() == 0, "the outbox is empty");

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
