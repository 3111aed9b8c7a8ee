using System.Net;
using System.Text.Json;
using Automation.Ingress.Tests.Infrastructure;

namespace Automation.Ingress.Tests.Sources;

/// <summary>Sources and secrets change while the service runs; a bad change is refused and shows on readiness.</summary>
public sealed class ConfigurationReloadTests(IngressServiceFixture ingress) : IClassFixture<IngressServiceFixture>
{
    private const string NextSecret = "hex-secret-next-0123456789abcdef0123";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_secret_is_rotated_without_a_restart()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await SendHexAsync("hex", NextSecret));

        ingress.Factory.Settings.Change(settings =>
        {
            settings["Ingress:Sources:hex:Secrets:0"] = IngressServiceFixture.HexSecret;
            settings["Ingress:Sources:hex:Secrets:1"] = NextSecret;
        });
        try
        {
            Assert.Equal(HttpStatusCode.Accepted, await SendHexAsync("hex", NextSecret));
            Assert.Equal(HttpStatusCode.Accepted, await SendHexAsync("hex", IngressServiceFixture.HexSecret));
            Assert.Equal(HttpStatusCode.Unauthorized, await SendHexAsync("hex", IngressServiceFixture.HexOldSecret));
        }
        finally
        {
            ingress.Factory.Settings.Change(settings =>
            {
                settings["Ingress:Sources:hex:Secrets:0"] = IngressServiceFixture.HexOldSecret;
                settings["Ingress:Sources:hex:Secrets:1"] = IngressServiceFixture.HexSecret;
            });
        }
    }

    [Fact]
    public async Task A_source_added_while_running_takes_webhooks_at_once()
    {
        Assert.Equal(HttpStatusCode.NotFound, await SendHexAsync("late", IngressServiceFixture.HexSecret));

        ingress.Factory.Settings.Change(settings =>
            IngressServiceFixture.AddSource(settings, "late", "hmac-sha256-hex", [IngressServiceFixture.HexSecret], ["survey.completed"]));

        Assert.Equal(HttpStatusCode.Accepted, await SendHexAsync("late", IngressServiceFixture.HexSecret));
    }

    [Fact]
    public async Task An_invalid_reload_keeps_the_last_valid_configuration_and_reports_degraded_until_fixed()
    {
        const string SecretText = "never-shown-anywhere";
        ingress.Factory.Settings.Change(settings =>
        {
            settings["Ingress:Sources:hex:Scheme"] = "hmac-md5";
            settings["Ingress:Sources:standard:Secrets:0"] = "whsec_!" + SecretText;
        });
        try
        {
            var (status, description) = await ReadinessAsync();
            Assert.Equal("Degraded", status);
            Assert.Contains("Ingress:Sources:hex:Scheme", description, StringComparison.Ordinal);
            Assert.Contains("Ingress:Sources:standard:Secrets:0", description, StringComparison.Ordinal);
            Assert.DoesNotContain(SecretText, description, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Accepted, await SendHexAsync("hex", IngressServiceFixture.HexSecret));
        }
        finally
        {
            ingress.Factory.Settings.Change(settings =>
            {
                settings["Ingress:Sources:hex:Scheme"] = "hmac-sha256-hex";
                settings["Ingress:Sources:standard:Secrets:0"] = IngressServiceFixture.StandardWebhooksSecret;
            });
        }

        Assert.Equal("Healthy", (await ReadinessAsync()).Status);
    }

    [Fact]
    public async Task A_weak_secret_in_a_reload_is_refused_naming_the_key_never_the_value()
    {
        const string WeakSecret = "weak-secret-never-shown";
        ingress.Factory.Settings.Change(settings => settings["Ingress:Sources:github:Secrets:1"] = WeakSecret);
        try
        {
            var (status, description) = await ReadinessAsync();
            Assert.Equal("Degraded", status);
            Assert.Contains("Ingress:Sources:github:Secrets:1: is too weak", description, StringComparison.Ordinal);
            Assert.DoesNotContain(WeakSecret, description, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Unauthorized, await SendGitHubAsync(WeakSecret));
        }
        finally
        {
            ingress.Factory.Settings.Change(settings => settings.Remove("Ingress:Sources:github:Secrets:1"));
        }

        Assert.Equal("Healthy", (await ReadinessAsync()).Status);
    }

    [Fact]
    public async Task A_value_that_does_not_convert_is_refused_like_any_other_invalid_reload_naming_the_key_never_the_value()
    {
        // Say a secret pasted into the wrong key: the binder's own message would quote it.
        const string Misplaced = "misplaced-secret-never-shown-0123456789";
        ingress.Factory.Settings.Change(settings => settings["Ingress:Sources:hex:MaxBodyBytes"] = Misplaced);
        try
        {
            var (status, description) = await ReadinessAsync();
            Assert.Equal("Degraded", status);
            Assert.Contains("Ingress:Sources:hex:MaxBodyBytes", description, StringComparison.Ordinal);
            Assert.DoesNotContain(Misplaced, description, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Accepted, await SendHexAsync("hex", IngressServiceFixture.HexSecret));
        }
        finally
        {
            ingress.Factory.Settings.Change(settings => settings.Remove("Ingress:Sources:hex:MaxBodyBytes"));
        }

        Assert.Equal("Healthy", (await ReadinessAsync()).Status);
    }

    private async Task<HttpStatusCode> SendHexAsync(string source, string secret)
    {
        using var response = await ingress.Client.SendAsync(
            TestWebhooks.Hex(source, TestWebhooks.Envelope(TestWebhooks.NewEventId()), secret), Cancellation);
        return response.StatusCode;
    }

    private async Task<HttpStatusCode> SendGitHubAsync(string secret)
    {
        using var response = await ingress.Client.SendAsync(
            TestWebhooks.GitHub("github", TestWebhooks.Envelope(TestWebhooks.NewEventId()), secret), Cancellation);
        return response.StatusCode;
    }

    private async Task<(string Status, string Description)> ReadinessAsync()
    {
        using var response = await ingress.Management.GetAsync(new Uri("/health/ready", UriKind.Relative), Cancellation);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));
        var sources = report.RootElement.GetProperty("checks").GetProperty("ingress-sources");
        return (report.RootElement.GetProperty("status").GetString()!, sources.GetProperty("description").GetString()!);
    }
}
