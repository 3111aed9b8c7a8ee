using System.Diagnostics;
using System.Net;
using Automation.Ingress.Tests.Infrastructure;
using Automation.Testing;

namespace Automation.Ingress.Tests.Acceptance;

/// <summary>RabbitMQ goes away (a proxy in front of the shared broker is cut).</summary>
public sealed class BrokerOutageTests(BrokerOutageTests.Service ingress) : IClassFixture<BrokerOutageTests.Service>
{
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
    public async Task While_the_broker_is_unreachable_a_webhook_gets_503_and_is_not_stored_then_it_is_accepted()
    {
        var eventId = TestWebhooks.NewEventId();
        var body = TestWebhooks.Envelope(eventId);

        ingress.Proxy.Cut();
        HttpStatusCode status;
        var stopwatch = Stopwatch.StartNew();
        try
        {
            using var during = await ingress.Client.SendAsync(TestWebhooks.Hex("hex", body), Cancellation);
            status = during.StatusCode;
        }
        finally
        {
            ingress.Proxy.Restore();
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(20));
        Assert.Empty(await ingress.StoredAsync(eventId));

        await Eventually.Until(async () =>
        {
            using var retry = await ingress.Client.SendAsync(TestWebhooks.Hex("hex", body), Cancellation);
            return retry.StatusCode == HttpStatusCode.Accepted;
        }, "the same request was accepted once the broker was back");
        await ingress.Published.WaitForAsync(eventId);
    }
}
