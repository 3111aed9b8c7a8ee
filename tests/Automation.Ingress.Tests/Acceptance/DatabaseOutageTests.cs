using System.Net;
using Automation.Ingress.Tests.Infrastructure;
using Automation.Testing;
using Npgsql;

namespace Automation.Ingress.Tests.Acceptance;

/// <summary>PostgreSQL goes away (a proxy in front of the shared server is cut): the Ingress answers 503 with
/// Retry-After, stores and publishes nothing, and takes the same request once the database is back.</summary>
public sealed class DatabaseOutageTests(DatabaseOutageTests.Service ingress) : IClassFixture<DatabaseOutageTests.Service>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public sealed class Service : IngressServiceFixture
    {
        private TcpProxy? _proxy;

        public TcpProxy Proxy => _proxy ?? throw new InvalidOperationException("The service has not started.");

        protected override string ServiceConnectionString
        {
            get
            {
                var direct = new NpgsqlConnectionStringBuilder(Database.ConnectionString);
                _proxy ??= new TcpProxy(direct.Host!, direct.Port);
                return new NpgsqlConnectionStringBuilder(Database.ConnectionString) { Host = "127.0.0.1", Port = _proxy.Port, Timeout = 5 }
                    .ConnectionString;
            }
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
    public async Task While_postgresql_is_unreachable_a_webhook_gets_503_and_nothing_is_stored_or_published_then_the_same_request_is_accepted()
    {
        var eventId = TestWebhooks.NewEventId();
        var body = TestWebhooks.Envelope(eventId);
        await WarmUpAsync();

        ingress.Proxy.Cut();
        HttpResponseMessage during;
        HttpStatusCode readiness;
        try
        {
            during = await ingress.Client.SendAsync(TestWebhooks.Hex("hex", body), Cancellation);
            using var ready = await ingress.Management.GetAsync(new Uri("/health/ready", UriKind.Relative), Cancellation);
            readiness = ready.StatusCode;
        }
        finally
        {
            ingress.Proxy.Restore();
        }

        using (during)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(7), during.Headers.RetryAfter?.Delta);
            Assert.Equal("application/problem+json", during.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, readiness);
        Assert.Empty(await ingress.StoredAsync(eventId));
        await ingress.AssertNothingPublishedAsync(eventId);

        using var after = await ingress.Client.SendAsync(TestWebhooks.Hex("hex", body), Cancellation);

        Assert.Equal(HttpStatusCode.Accepted, after.StatusCode);
        Assert.Single(await ingress.StoredAsync(eventId));
        await ingress.Published.WaitForAsync(eventId);
        await ingress.AssertNothingPublishedAsync("no-such-event");
        Assert.Single(ingress.Published.For(eventId));
    }

    [Fact]
    public async Task An_unsubscribed_event_that_cannot_be_recorded_gets_503_not_200()
    {
        var eventId = TestWebhooks.NewEventId();
        await WarmUpAsync();

        ingress.Proxy.Cut();
        HttpStatusCode status;
        try
        {
            using var response = await ingress.Client.SendAsync(TestWebhooks.Hex("hex", TestWebhooks.Envelope(eventId, "task.executed")), Cancellation);
            status = response.StatusCode;
        }
        finally
        {
            ingress.Proxy.Restore();
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Empty(await ingress.StoredAsync(eventId));
        using var after = await ingress.Client.SendAsync(TestWebhooks.Hex("hex", TestWebhooks.Envelope(eventId, "task.executed")), Cancellation);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    /// <summary>Fills the connection pool first, so the cut also kills connections the service already holds.</summary>
    private async Task WarmUpAsync()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ =>
            ingress.Client.SendAsync(TestWebhooks.Hex("hex", TestWebhooks.Envelope(TestWebhooks.NewEventId())), Cancellation)));
        Assert.All(responses, response => Assert.Equal(HttpStatusCode.Accepted, response.StatusCode));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }
}
