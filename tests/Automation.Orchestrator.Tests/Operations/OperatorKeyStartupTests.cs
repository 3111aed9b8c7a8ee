using System.Net;
using System.Net.Http.Headers;
using Automation.Orchestrator.Operations.Access;
using Automation.Orchestrator.Runs;
using Automation.Testing;
using Microsoft.Extensions.Options;

namespace Automation.Orchestrator.Tests.Operations;

/// <summary>How the service starts with its operator keys: a bad key stops it, naming the setting; without any key it runs
/// and its operator API answers 401 to everyone.</summary>
public sealed class OperatorKeyStartupTests(PostgresDatabase database, RabbitMqVirtualHost virtualHost)
    : IClassFixture<PostgresDatabase>, IClassFixture<RabbitMqVirtualHost>
{
    [Fact]
    public async Task A_short_key_stops_the_service_at_start_naming_the_setting_and_not_the_key()
    {
        const string shortKey = "too-short-to-guard-replays";
        await using var factory = new ServiceFactory<RunState>(Settings(("Operations:ApiKeys:ada", shortKey)));

        var failure = Assert.IsType<OptionsValidationException>(factory.StartupFailure());

        Assert.Contains("Operations:ApiKeys:ada: is too short", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(shortKey, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_readme_key_stops_the_service_outside_development()
    {
        await using var factory = new ServiceFactory<RunState>(Settings(("environment", "Production"),
            ("Operations:ApiKeys:demo", PublishedOperatorKeys.Demo)));

        var failure = Assert.IsType<OptionsValidationException>(factory.StartupFailure());

        Assert.Contains("Operations:ApiKeys:demo: is the key published in this repository", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_misspelt_operations_setting_stops_the_service_at_start()
    {
        await using var factory = new ServiceFactory<RunState>(Settings(("Operations:ApiKey:ada", "0123456789abcdef0123456789abcdef")));

        var failure = Assert.IsType<InvalidOperationException>(factory.StartupFailure());

        Assert.Contains("'ApiKey'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_any_key_the_service_runs_and_its_operator_api_answers_401_to_everyone()
    {
        await using var factory = new ServiceFactory<RunState>(Settings(("environment", "Production")));
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", PublishedOperatorKeys.Demo);

        using var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative), TestContext.Current.CancellationToken);
        using var events = await client.GetAsync(new Uri("/operations/events", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        await OperatorApi.Read(events, HttpStatusCode.Unauthorized);
    }

    private Dictionary<string, string> Settings(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string>
        {
            ["RabbitMq:Uri"] = virtualHost.Uri.ToString(),
            ["ConnectionStrings:Automation"] = database.ConnectionString,
            ["Operations:RabbitMqManagement:Uri"] = virtualHost.ManagementUri.ToString(),
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }
}
