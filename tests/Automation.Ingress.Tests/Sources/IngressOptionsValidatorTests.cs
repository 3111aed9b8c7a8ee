using Automation.Ingress.Sources;

namespace Automation.Ingress.Tests.Sources;

public sealed class IngressOptionsValidatorTests
{
    private const string SecretText = "the-secret-value-never-shown";

    [Fact]
    public void A_complete_configuration_is_valid()
    {
        Assert.True(new IngressOptionsValidator().Validate(null, Options()).Succeeded);
    }

    [Theory]
    [InlineData("Scheme", "Ingress:Sources:demo:Scheme: 'hmac' is not a signature scheme")]
    [InlineData("NoScheme", "Ingress:Sources:demo:Scheme: is required")]
    [InlineData("NoSecrets", "Ingress:Sources:demo:Secrets: between 1 and 10 active secrets are needed")]
    [InlineData("EmptySecret", "Ingress:Sources:demo:Secrets:1: is empty")]
    [InlineData("NoEvents", "Ingress:Sources:demo:Events: subscribe to at least one event type")]
    [InlineData("UnknownEvent", "Ingress:Sources:demo:Events:1: 'invoice.paid' is not an event type")]
    [InlineData("MaxBodyBytes", "Ingress:Sources:demo:MaxBodyBytes: must be between 1 and 16777216")]
    [InlineData("RequestsPerSecond", "Ingress:Sources:demo:RequestsPerSecond: must be a positive number")]
    [InlineData("Burst", "Ingress:Sources:demo:Burst: must be at least 1")]
    [InlineData("Tolerance", "Ingress:Sources:demo:TimestampTolerance: must be between 00:00:01 and 01:00:00")]
    [InlineData("SourceId", "Ingress:Sources:de mo: a source id must be")]
    [InlineData("NoSources", "Ingress:Sources: no source is configured")]
    [InlineData("BodyReadTimeout", "Ingress:BodyReadTimeout: must be positive")]
    public void Each_bad_setting_is_reported_with_its_full_key(string breakage, string expected)
    {
        var options = Options();
        var demo = options.Sources["demo"];
        switch (breakage)
        {
            case "Scheme": demo.Scheme = "hmac"; break;
            case "NoScheme": demo.Scheme = null; break;
            case "NoSecrets": demo.Secrets.Clear(); break;
            case "EmptySecret": demo.Secrets.Add(" "); break;
            case "NoEvents": demo.Events.Clear(); break;
            case "UnknownEvent": demo.Events.Add("invoice.paid"); break;
            case "MaxBodyBytes": demo.MaxBodyBytes = 0; break;
            case "RequestsPerSecond": demo.RequestsPerSecond = 0; break;
            case "Burst": demo.Burst = 0; break;
            case "Tolerance": demo.TimestampTolerance = TimeSpan.Zero; break;
            case "SourceId": options.Sources["de mo"] = Options().Sources["demo"]; break;
            case "NoSources": options.Sources.Clear(); break;
            case "BodyReadTimeout": options.BodyReadTimeout = TimeSpan.Zero; break;
        }

        var result = new IngressOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, failure => failure.StartsWith(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("s3cr3t")]
    [InlineData("whsec_")]
    [InlineData("whsec_not base64!")]
    public void A_standard_webhooks_secret_not_written_whsec_base64_is_refused_without_quoting_it(string secret)
    {
        var options = Options();
        options.Sources["demo"].Scheme = "standard-webhooks";
        options.Sources["demo"].Secrets = ["whsec_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=", secret + SecretText];

        var result = new IngressOptionsValidator().Validate(null, options);

        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith("Ingress:Sources:demo:Secrets:1: must be written whsec_<base64 key>", failure, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretText, failure, StringComparison.Ordinal);
    }

    private static IngressOptions Options() => new()
    {
        Sources = new(StringComparer.OrdinalIgnoreCase)
        {
            ["demo"] = new SourceOptions
            {
                Scheme = "hmac-sha256-hex",
                Secrets = [SecretText],
                Events = ["survey.completed"],
            },
        },
    };
}
