using Automation.CiTrigger.Pipelines;
using Automation.EndToEnd.Tests.Infrastructure;
using Automation.Hosting;
using Automation.Ingress.Storage;
using Automation.Notifier.Persistence;
using Automation.Orchestrator.Runs;
using Automation.Sandbox;
using Automation.Sandbox.Smtp;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.EndToEnd.Tests;

/// <summary>The deploy step (<c>deploy-topology</c>, run by <c>./automation up</c>, compose and the Kubernetes Job) declares
/// every consumer's queues and bindings before any publisher sends, so an event the Ingress accepts before any consumer
/// service has ever started waits in its queue instead of being dropped by an exchange bound to nothing.</summary>
public sealed class TopologyDeploymentTests : IAsyncLifetime
{
    private const string Rule = Infrastructure.AutomationSystem.ContentPublished;

    /// <summary>The Orchestrator's queue for the event type the test posts.</summary>
    private const string OrchestratorQueue = "orchestrator-content-state-changed";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);

    private readonly InProcessServices _services = new();
    private readonly string _secret = $"e2e-secret-{Guid.NewGuid():N}";
    private readonly ServiceFactory<SandboxLedger> _sandbox = new(new Dictionary<string, string> { ["Sandbox:Smtp:Port"] = "0" });
    private readonly PostgresDatabase _database = new();
    private readonly RabbitMqVirtualHost _virtualHost = new();
    private ServiceSettings.Shared _shared = null!;

    public async ValueTask InitializeAsync()
    {
        await Task.WhenAll(_database.InitializeAsync().AsTask(), _virtualHost.InitializeAsync().AsTask());
        _shared = new ServiceSettings.Shared(_database, _virtualHost);
        _sandbox.UseRealSockets();
        _sandbox.StartServer();
    }

    [Fact]
    public async Task An_event_accepted_before_any_consumer_service_ever_started_is_processed_once_they_start()
    {
        var sandbox = _sandbox.PublicAddress;
        var smtp = await _sandbox.Services.GetRequiredService<SmtpSink>().Listening.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        var settings = new Dictionary<string, Dictionary<string, string>>
        {
            ["Ingress"] = ServiceSettings.Ingress(_shared, _secret),
            ["Orchestrator"] = ServiceSettings.Orchestrator(_shared, TimeSpan.FromMinutes(1), []),
            ["CrmSync"] = ServiceSettings.CrmSync(_shared, new Uri(sandbox, "hubspot/"), CallTimeout),
            ["CiTrigger"] = ServiceSettings.CiTrigger(_shared, new Uri(sandbox, "github/"), CallTimeout),
            ["Notifier"] = ServiceSettings.Notifier(_shared, new Uri(sandbox, "slack" + ServiceSettings.SlackWebhookPath), smtp.Port, CallTimeout),
        };

        var deployments = await Task.WhenAll(settings.Select(async service =>
            (Service: service.Key, Result: await ServiceProcess.RunAsync(service.Key, $"Automation.{service.Key}", service.Value,
                TopologyDeployment.Command, CommandTimeout))));
        Assert.All(deployments, deployment => Assert.True(deployment.Result.ExitCode == 0,
            $"{deployment.Service} {TopologyDeployment.Command} exited {deployment.Result.ExitCode}:{Environment.NewLine}{deployment.Result.Output}"));
        Assert.All(deployments, deployment => Assert.Contains("declared", deployment.Result.Output, StringComparison.Ordinal));
        // Declared, not consumed: the command started no consumer.
        Assert.Equal(0u, await _virtualHost.ConsumerCount(OrchestratorQueue));

        var ingress = await _services.StartAsync<IngressDbContext>(settings["Ingress"]);
        var webhooks = new Webhooks(ingress.CreateClient(), _secret);
        var eventId = Webhooks.NewEventId();
        await webhooks.AcceptedAsync(eventId, EventData.ContentStateChanged, EventData.Content());
        await Eventually.Until(async () => await _virtualHost.MessageCount(OrchestratorQueue) == 1,
            "the Ingress's event waits in the Orchestrator's queue, which no Orchestrator has consumed yet");

        var orchestrator = await _services.StartAsync<RunState>(settings["Orchestrator"]);
        await _services.StartAsync<TriggerPipelineConsumer>(settings["CiTrigger"]);
        await _services.StartAsync<NotifierDbContext>(settings["Notifier"]);
        await _services.StartAsync<Automation.CrmSync.HubSpot.HubSpotClient>(settings["CrmSync"]);

        var run = await new RunsTable(orchestrator.Services).WaitFor(eventId, Rule, "Completed");
        Assert.All(run.Steps, step => Assert.Equal(StepStatus.Succeeded, step.Status));
    }

    [Fact]
    public async Task Deploying_the_topology_on_a_broker_that_does_not_answer_exits_1_naming_the_broker_without_its_password()
    {
        var nowhere = new Uri($"amqp://guest:guest@127.0.0.1:{FreeTcpPort.Next()}/");
        var settings = ServiceSettings.Orchestrator(_shared, TimeSpan.FromMinutes(1), []);
        settings["RabbitMq:Uri"] = nowhere.ToString();
        settings["RabbitMq:DeployTimeout"] = "00:00:03";

        var (exitCode, output) = await ServiceProcess.RunAsync("Orchestrator", "Automation.Orchestrator", settings, TopologyDeployment.Command, CommandTimeout);

        Assert.Equal(1, exitCode);
        // The error goes to standard error and the logs to standard output, whose lines interleave in any order here.
        var error = Assert.Single(output.Split(Environment.NewLine), line => line.StartsWith($"{TopologyDeployment.Command}: ", StringComparison.Ordinal));
        Assert.Contains($"127.0.0.1:{nowhere.Port}", error, StringComparison.Ordinal);
        Assert.DoesNotContain("guest:guest", output, StringComparison.Ordinal);
    }

    private static TimeSpan CallTimeout => TimeSpan.FromSeconds(10);

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _sandbox.DisposeAsync();
        await _virtualHost.DisposeAsync();
        await _database.DisposeAsync();
    }
}
