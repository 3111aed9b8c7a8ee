using System.Net;
using System.Text.Json;
using Automation.Ingress.Tests.Infrastructure;
using Automation.Testing;

namespace Automation.Ingress.Tests.Acceptance;

/// <summary>The public port serves the webhook endpoint and a bare liveness answer; metrics, detailed readiness and the
/// OpenAPI document answer only on the management port (<c>Management:Port</c>), where probes and scrapes go.</summary>
public sealed class ManagementPortTests(IngressServiceFixture ingress) : IClassFixture<IngressServiceFixture>
{
    private static readonly string[] OperationsPaths = ["/metrics", "/health/ready", "/openapi/v1.json"];

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_public_port_answers_webhooks_and_a_bare_liveness_but_no_operations_endpoint()
    {
        using var webhook = await ingress.Client.SendAsync(TestWebhooks.Hex("hex", TestWebhooks.Envelope(TestWebhooks.NewEventId())), Cancellation);
        using var live = await ingress.Client.GetAsync(new Uri("/health/live", UriKind.Relative), Cancellation);

        Assert.Equal(HttpStatusCode.Accepted, webhook.StatusCode);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("Healthy", await live.Content.ReadAsStringAsync(Cancellation));
        foreach (var path in OperationsPaths)
        {
            using var response = await ingress.Client.GetAsync(new Uri(path, UriKind.Relative), Cancellation);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path} answered {response.StatusCode} on the public port");
        }
    }

    [Fact]
    public async Task The_management_port_serves_metrics_detailed_readiness_the_openapi_document_and_liveness()
    {
        var management = ingress.Management;
        using var webhook = await ingress.Client.SendAsync(TestWebhooks.Hex("hex", TestWebhooks.Envelope(TestWebhooks.NewEventId())), Cancellation);

        // The exporter caches a scrape briefly, so the count may show on a later one.
        await Eventually.Until(async () => (await management.GetStringAsync(new Uri("/metrics", UriKind.Relative), Cancellation))
            .Contains("automation_ingress_received", StringComparison.Ordinal), "the metrics show the webhook");
        using var readiness = JsonDocument.Parse(await management.GetStringAsync(new Uri("/health/ready", UriKind.Relative), Cancellation));
        using var openApi = JsonDocument.Parse(await management.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), Cancellation));
        using var live = await management.GetAsync(new Uri("/health/live", UriKind.Relative), Cancellation);

        Assert.True(readiness.RootElement.GetProperty("checks").TryGetProperty("ingress-sources", out _));
        Assert.True(openApi.RootElement.GetProperty("paths").TryGetProperty("/webhooks/{source}", out _));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task A_host_header_naming_the_management_port_does_not_open_the_operations_endpoints_on_the_public_port()
    {
        foreach (var path in OperationsPaths)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
            request.Headers.Host = $"127.0.0.1:{ingress.Factory.ManagementPort}";

            using var response = await ingress.Client.SendAsync(request, Cancellation);

            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path} answered {response.StatusCode} on the public port");
        }
    }
}
