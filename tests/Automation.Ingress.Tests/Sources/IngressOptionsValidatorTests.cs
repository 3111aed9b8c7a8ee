using Automation.Ingress.Sources;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace Automation.Ingress.Tests.Sources;

public sealed class IngressOptionsValidatorTests
{
    private const string SecretText = "the-secret-value-never-shown-0123456789";

    [Fact]
    public void A_complete_configuration_is_valid()
    {
        Assert.True(Validator().Validate(null, Options()).Succeeded);
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
    [InlineData("RepeatRate", "Ingress:Sources:demo:DuplicateOrIgnoredPerSecond: must be a positive number")]
    [InlineData("RepeatBurst", "Ingress:Sources:demo:DuplicateOrIgnoredBurst: must be at least 1")]
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
            case "RepeatRate": demo.DuplicateOrIgnoredPerSecond = double.NaN; break;
            case "RepeatBurst": demo.DuplicateOrIgnoredBurst = 0; break;
            case "Tolerance": demo.TimestampTolerance = TimeSpan.Zero; break;
            case "SourceId": options.Sources["de mo"] = Options().Sources["demo"]; break;
            case "NoSources": options.Sources.Clear(); break;
            case "BodyReadTimeout": options.BodyReadTimeout = TimeSpan.Zero; break;
        }

        var result = Validator().Validate(null, options);

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
        options.Sources["demo"].Secrets = ["whsec_ZWZnaGlqa2xtbm9wcXJzdHV2d3h5ent8fX5/gIGCg4Q=", secret + SecretText];

        var result = Validator().Validate(null, options);

        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith("Ingress:Sources:demo:Secrets:1: must be written whsec_<base64 key>", failure, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretText, failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hmac-sha256-hex", 31, false)]
    [InlineData("hmac-sha256-hex", 32, true)]
    [InlineData("github", 31, false)]
    [InlineData("github", 32, true)]
    public void A_secret_of_fewer_than_32_characters_is_refused_as_weak_without_quoting_it(string scheme, int length, bool valid)
    {
        var secret = new string('k', length - 4) + "wxyz";
        var options = Options();
        options.Sources["demo"].Scheme = scheme;
        options.Sources["demo"].Secrets = [SecretText, secret];

        var result = Validator().Validate(null, options);

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            var failure = Assert.Single(result.Failures!);
            Assert.StartsWith($"Ingress:Sources:demo:Secrets:1: is too weak: a {scheme} secret needs at least 32 characters", failure,
                StringComparison.Ordinal);
            Assert.DoesNotContain("wxyz", failure, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(23, false)]
    [InlineData(24, true)]
    [InlineData(64, true)]
    [InlineData(65, false)]
    public void A_standard_webhooks_key_is_refused_unless_it_is_24_to_64_bytes(int keyBytes, bool valid)
    {
        var secret = "whsec_" + Convert.ToBase64String(Enumerable.Range(1, keyBytes).Select(value => (byte)value).ToArray());
        var options = Options();
        options.Sources["demo"].Scheme = "standard-webhooks";
        options.Sources["demo"].Secrets = [secret];

        var result = Validator().Validate(null, options);

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            var failure = Assert.Single(result.Failures!);
            Assert.StartsWith("Ingress:Sources:demo:Secrets:0: is too weak: a standard-webhooks key must be 24 to 64 bytes", failure,
                StringComparison.Ordinal);
            Assert.DoesNotContain(secret["whsec_".Length..], failure, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_secret_published_in_the_repository_is_refused_outside_development_and_allowed_in_it()
    {
        const string Published = "whsec_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";
        var options = Options();
        options.Sources["demo"].Scheme = "standard-webhooks";
        options.Sources["demo"].Secrets = [Published];

        var production = Validator(Environments.Production).Validate(null, options);
        var development = Validator(Environments.Development).Validate(null, options);

        var failure = Assert.Single(production.Failures!);
        Assert.StartsWith("Ingress:Sources:demo:Secrets:0: is published in this repository", failure, StringComparison.Ordinal);
        Assert.DoesNotContain(Published, failure, StringComparison.Ordinal);
        Assert.True(development.Succeeded);
    }

    internal static IngressOptionsValidator Validator(string environment = "Production") =>
        new(new HostingEnvironment { EnvironmentName = environment });

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
