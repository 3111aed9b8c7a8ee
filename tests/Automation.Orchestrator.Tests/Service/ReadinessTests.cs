using Automation.Orchestrator.Runs;
using Automation.Testing;

namespace Automation.Orchestrator.Tests.Service;

public sealed class ReadinessTests(PostgresDatabase database, RabbitMqVirtualHost virtualHost)
    : IClassFixture<PostgresDatabase>, IClassFixture<RabbitMqVirtualHost>
{
    [Fact]
    public async Task The_shipped_rules_start_the_service_and_it_becomes_ready()
    {
        await using var factory = new ServiceFactory<RunState>(new Dictionary<string, string>
        {
            ["RabbitMq:Uri"] = virtualHost.Uri.ToString(),
            ["ConnectionStrings:Automation"] = database.ConnectionString,
        });
        using var client = factory.CreateManagementClient();

        await Eventually.Until(async () =>
        {
            using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), TestContext.Current.CancellationToken);
            return ready.IsSuccessStatusCode;
        }, "the orchestrator is ready");
    }
}
