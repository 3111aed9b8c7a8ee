using System.Net;
using Automation.Ingress.Tests.Infrastructure;
using Automation.Testing;

namespace Automation.Ingress.Tests.Sources;

/// <summary><c>Ingress:SourcesFile</c> names a JSON file (e.g. a mounted Kubernetes secret) read at start and watched:
/// editing it changes the sources of the running service.</summary>
public sealed class SourcesFileTests(SourcesFileTests.Service ingress) : IClassFixture<SourcesFileTests.Service>
{
    private const string FirstSecret = "file-secret-1-0123456789abcdef0123";
    private const string SecondSecret = "file-secret-2-0123456789abcdef0123";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public sealed class Service : IngressServiceFixture
    {
        public string SourcesFile { get; } = Path.Combine(Path.GetTempPath(), $"ingress-sources-{Guid.NewGuid():N}.json");

        public override ValueTask InitializeAsync()
        {
            WriteSources(FirstSecret);
            return base.InitializeAsync();
        }

        protected override Dictionary<string, string> HostSettings() => new() { ["Ingress:SourcesFile"] = SourcesFile };

        public void WriteSources(string secret) => File.WriteAllText(SourcesFile, $$$"""
            { "Ingress": { "Sources": { "mounted": {
                "Scheme": "hmac-sha256-hex", "Secrets": [ "{{{secret}}}" ], "Events": [ "survey.completed" ] } } } }
            """);

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            File.Delete(SourcesFile);
        }
    }

    [Fact]
    public async Task A_source_from_the_sources_file_takes_webhooks_and_an_edit_of_the_file_rotates_its_secret()
    {
        Assert.Equal(HttpStatusCode.Accepted, await SendAsync(FirstSecret));

        ingress.WriteSources(SecondSecret);

        await Eventually.Until(async () => await SendAsync(SecondSecret) == HttpStatusCode.Accepted, "the edited file was read");
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(FirstSecret));
    }

    private async Task<HttpStatusCode> SendAsync(string secret)
    {
        using var response = await ingress.Client.SendAsync(
            TestWebhooks.Hex("mounted", TestWebhooks.Envelope(TestWebhooks.NewEventId()), secret), Cancellation);
        return response.StatusCode;
    }
}
