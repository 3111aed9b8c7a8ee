using Automation.Ingress.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Automation.Ingress.Tests.Sources;

/// <summary>A bad configuration stops the service at start with a message naming the key, before it takes a request.</summary>
public sealed class StartupValidationTests
{
    [Theory]
    [InlineData("Ingress:Sources:demo:Scheme", "hmac", "Ingress:Sources:demo:Scheme: 'hmac' is not a signature scheme")]
    [InlineData("Ingress:Sources:demo:Events:0", "invoice.paid", "Ingress:Sources:demo:Events:0: 'invoice.paid' is not an event type")]
    [InlineData("Ingress:Sources:demo:Secrets:0", "", "Ingress:Sources:demo:Secrets:0: is empty")]
    [InlineData("Ingress:Sources:demo:Secrets:0", "short-secret", "Ingress:Sources:demo:Secrets:0: is too weak")]
    [InlineData("Ingress:Retention:KeepEventsFor", "1.00:00:00", "Ingress:Retention:KeepEventsFor: must be longer than Ingress:Retention:KeepBodiesFor")]
    [InlineData("Ingress:BodyReadTimeout", "-00:00:01", "Ingress:BodyReadTimeout: must be positive")]
    [InlineData("ConnectionStrings:Automation", "", "ConnectionStrings:Automation")]
    [InlineData("Ingress:Outbox:MaxBacklog", "0", "Ingress:Outbox:MaxBacklog")]
    public void The_service_does_not_start_on_a_bad_setting_and_names_it(string key, string value, string expected)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Automation"] = "Host=127.0.0.1;Port=1;Database=none",
            ["RabbitMq:Uri"] = "amqp://guest:guest@127.0.0.1:1/",
            [key] = value,
        };
        using var factory = new IngressFactory(settings);

        var failure = Assert.IsType<OptionsValidationException>(factory.StartupFailure());

        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_source_setting_that_does_not_convert_stops_the_service_naming_the_key_never_the_value()
    {
        // Say a secret pasted into the wrong key: the binder's own message would quote it.
        const string Misplaced = "misplaced-secret-never-shown-0123456789";
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Automation"] = "Host=127.0.0.1;Port=1;Database=none",
            ["RabbitMq:Uri"] = "amqp://guest:guest@127.0.0.1:1/",
            ["Ingress:Sources:demo:MaxBodyBytes"] = Misplaced,
        };
        using var factory = new IngressFactory(settings);

        var failure = Assert.IsType<InvalidOperationException>(factory.StartupFailure());

        Assert.Contains("Ingress:Sources:demo:MaxBodyBytes", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Misplaced, failure.ToString(), StringComparison.Ordinal);
    }
}
