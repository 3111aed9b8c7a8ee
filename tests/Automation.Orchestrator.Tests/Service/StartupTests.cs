using Automation.Orchestrator.Runs;
using Automation.Testing;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Automation.Orchestrator.Tests.Service;

/// <summary>With the servers up, a bad rule or setting still stops the service at start, naming the setting, before it
/// touches the database (the shipped rules start it: <see cref="ReadinessTests"/>).</summary>
public sealed class StartupTests(PostgresDatabase database, RabbitMqVirtualHost virtualHost)
    : IClassFixture<PostgresDatabase>, IClassFixture<RabbitMqVirtualHost>
{
    [Theory]
    [InlineData("Automation:Rules:content-published:EventType", "content.published",
        "Automation:Rules:content-published:EventType: 'content.published' is not an event type")]
    [InlineData("Automation:Rules:task-failed:Steps:0:Channel", "", "Automation:Rules:task-failed:Steps:0:Channel: is required by notify")]
    [InlineData("Automation:Rules:deploys:Steps:0:Kind", "ci.trigger_pipeline", "Automation:Rules:deploys:EventType: is required")]
    public async Task A_bad_rule_stops_the_service_at_start_and_names_it(string key, string value, string expected)
    {
        await using var factory = new ServiceFactory<RunState>(Settings(key, value));

        var failure = Assert.IsType<OptionsValidationException>(factory.StartupFailure());

        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
        Assert.False(await SchemaExists(), "the service migrated its schema before refusing its rules");
    }

    [Fact]
    public async Task A_misspelt_rule_setting_stops_the_service_at_start_and_names_it()
    {
        await using var factory = new ServiceFactory<RunState>(Settings("Automation:Rules:task-failed:Condition:0:Field", "status"));

        var failure = Assert.IsType<InvalidOperationException>(factory.StartupFailure());

        Assert.Contains("Automation:Rules:task-failed:Condition: not a setting", failure.Message, StringComparison.Ordinal);
        Assert.False(await SchemaExists(), "the service migrated its schema before refusing its rules");
    }

    [Fact]
    public async Task A_runs_count_interval_under_a_second_stops_the_service_at_start_and_names_it()
    {
        await using var factory = new ServiceFactory<RunState>(Settings("RunMetrics:RefreshInterval", "00:00:00.100"));

        var failure = Assert.IsType<OptionsValidationException>(factory.StartupFailure());

        Assert.Contains("RunMetrics:RefreshInterval: must be between 00:00:01 and 01:00:00", failure.Message, StringComparison.Ordinal);
        Assert.False(await SchemaExists(), "the service migrated its schema before refusing its settings");
    }

    private Dictionary<string, string> Settings(string? key = null, string? value = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["RabbitMq:Uri"] = virtualHost.Uri.ToString(),
            ["ConnectionStrings:Automation"] = database.ConnectionString,
        };
        if (key is not null)
        {
            settings[key] = value!;
        }

        return settings;
    }

    private async Task<bool> SchemaExists()
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'orchestrator'", connection);
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))! > 0;
    }
}
