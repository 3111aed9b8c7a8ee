using Automation.Orchestrator.Operations;
using Automation.Orchestrator.Operations.Access;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace Automation.Orchestrator.Tests.Operations;

/// <summary>The <c>Operations</c> settings are checked at start: each refusal names the full key and never shows a key.</summary>
public sealed class OperationsOptionsTests
{
    private const string GoodKey = "0123456789abcdef0123456789abcdef";

    [Fact]
    public void Good_settings_pass()
    {
        Assert.True(Validate(Options(("ada", GoodKey), ("grace", GoodKey + "-2"))).Succeeded);
        Assert.True(Validate(Options()).Succeeded, "no key at all is allowed: the API then answers 401 to everyone");
    }

    [Fact]
    public void A_short_key_is_refused_naming_its_setting_but_not_its_value()
    {
        var shortKey = "short-" + new string('k', OperationsLimits.MinApiKeyLength - 7);

        var result = Validate(Options(("ada", shortKey)));

        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith("Operations:ApiKeys:ada: is too short", failure, StringComparison.Ordinal);
        Assert.DoesNotContain(shortKey, failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(" " + GoodKey, "starts or ends with white space")]
    [InlineData(PublishedOperatorKeys.Demo, "is the key published in this repository")]
    public void A_weak_key_is_refused_outside_development(string key, string expected)
    {
        var result = Validate(Options(("ops", key)), Environments.Production);

        Assert.Contains(result.Failures!, failure => failure.StartsWith($"Operations:ApiKeys:ops: {expected}", StringComparison.Ordinal)
            && !failure.Contains(key.Trim(), StringComparison.Ordinal));
    }

    [Fact]
    public void The_published_demo_key_is_allowed_in_development_only()
    {
        Assert.True(Validate(Options(("demo", PublishedOperatorKeys.Demo)), Environments.Development).Succeeded);
        Assert.False(Validate(Options(("demo", PublishedOperatorKeys.Demo)), Environments.Staging).Succeeded);
    }

    [Fact]
    public void Two_operators_with_one_key_are_refused_the_audit_could_not_tell_them_apart()
    {
        var result = Validate(Options(("ada", GoodKey), ("grace", GoodKey)));

        Assert.Equal(["Operations:ApiKeys:grace: is the same key as Operations:ApiKeys:ada: the audit could not tell the two operators apart"],
            result.Failures);
    }

    [Theory]
    [InlineData("-ada")]
    [InlineData("ada lovelace")]
    [InlineData("ada/ops")]
    public void An_operator_name_that_would_muddle_the_audit_is_refused(string name)
    {
        var result = Validate(Options((name, GoodKey)));

        Assert.StartsWith($"Operations:ApiKeys:{name}: the operator's name may hold", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:16686/trace/")]
    [InlineData("/trace/{traceId}")]
    [InlineData("ftp://traces/{traceId}")]
    public void A_trace_link_template_without_a_trace_id_or_not_an_http_url_is_refused(string template)
    {
        var options = Options();
        options.TraceUrlTemplate = template;

        Assert.StartsWith("Operations:TraceUrlTemplate: must be an absolute http(s) URL containing {traceId}",
            Assert.Single(Validate(options).Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void The_management_api_needs_an_http_url_and_both_or_neither_credentials()
    {
        var options = Options();
        options.RabbitMqManagement = new RabbitMqManagementOptions { Uri = new Uri("amqp://127.0.0.1:5672/"), Username = "ops" };

        Assert.Equal(
        [
            "Operations:RabbitMqManagement:Uri: is required, an absolute http(s) URL of the broker's management API, e.g. http://127.0.0.1:15672/",
            "Operations:RabbitMqManagement:Username, Operations:RabbitMqManagement:Password: set both, or neither to use the user of RabbitMq:Uri",
        ], Validate(options).Failures);
    }

    [Fact]
    public void A_key_opens_for_its_operator_only_and_nothing_opens_without_keys()
    {
        var keys = new OperatorKeys(Microsoft.Extensions.Options.Options.Create(Options(("ada", GoodKey), ("grace", GoodKey + "-2"))));
        var none = new OperatorKeys(Microsoft.Extensions.Options.Options.Create(Options()));

        Assert.Equal(("ada", "grace"), (keys.OperatorOf(GoodKey), keys.OperatorOf(GoodKey + "-2")));
        Assert.Null(keys.OperatorOf(GoodKey[..^1]));
        Assert.Null(keys.OperatorOf(""));
        Assert.True(none.IsEmpty);
        Assert.Null(none.OperatorOf(GoodKey));
    }

    private static OperationsOptions Options(params (string Name, string Key)[] keys)
    {
        var options = new OperationsOptions { RabbitMqManagement = new RabbitMqManagementOptions { Uri = new Uri("http://127.0.0.1:15672/") } };
        foreach (var (name, key) in keys)
        {
            options.ApiKeys[name] = key;
        }

        return options;
    }

    private static ValidateOptionsResult Validate(OperationsOptions options, string environment = "Production") =>
        new OperationsOptionsValidator(new HostingEnvironment { EnvironmentName = environment }).Validate(null, options);
}
