using Automation.CiTrigger.Pipelines;
using Automation.Contracts;
using Automation.Ingress.Storage;
using Automation.Notifier.Persistence;
using Automation.Orchestrator.Runs;
using Automation.Sandbox;
using Automation.Sandbox.HubSpot;
using Automation.Sandbox.Smtp;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.EndToEnd.Tests.Infrastructure;

/// <summary>The whole system as <c>./automation up</c> runs it, the Sandbox (on a real port) answering for HubSpot, GitHub,
/// Slack and the mail server: unlike HubSpot, it honours idempotency keys, so a test counts effects, not calls. CrmSync
/// runs as a process of its own, so a test can SIGKILL it; the other services run in the test process.</summary>
public sealed class SystemWithCrmSyncProcess : IAsyncLifetime
{
    private readonly InProcessServices _services = new();
    private readonly string _secret = $"e2e-secret-{Guid.NewGuid():N}";
    private readonly ServiceFactory<SandboxLedger> _sandbox = new(new Dictionary<string, string> { ["Sandbox:Smtp:Port"] = "0" });
    private ServiceSettings.Shared _shared = null!;
    private Uri _sandboxUrl = null!;

    public PostgresDatabase Database { get; } = new();

    public RabbitMqVirtualHost VirtualHost { get; } = new();

    public Webhooks Webhooks { get; private set; } = null!;

    public RunsTable Runs { get; private set; } = null!;

    /// <summary>The running CrmSync process.</summary>
    public ServiceProcess CrmSync { get; private set; } = null!;

    /// <summary>Every call the Sandbox's stand-ins received, with what each did (applied, replayed …).</summary>
    public SandboxLedger Calls => _sandbox.Services.GetRequiredService<SandboxLedger>();

    /// <summary>The Sandbox's HubSpot: the contacts and notes that exist.</summary>
    public HubSpotCrm HubSpot => _sandbox.Services.GetRequiredService<HubSpotCrm>();

    /// <summary>Failures the Sandbox gives to the next matching calls.</summary>
    public PlannedFailures Failures => _sandbox.Services.GetRequiredService<PlannedFailures>();

    public async ValueTask InitializeAsync()
    {
        await Task.WhenAll(Database.InitializeAsync().AsTask(), VirtualHost.InitializeAsync().AsTask());
        _shared = new ServiceSettings.Shared(Database, VirtualHost);
        _sandbox.UseRealSockets();
        _sandbox.StartServer();
        _sandboxUrl = _sandbox.PublicAddress;
        var smtp = await _sandbox.Services.GetRequiredService<SmtpSink>().Listening.WaitAsync(TimeSpan.FromSeconds(10));
        var orchestrator = await _services.StartAsync<RunState>(ServiceSettings.Orchestrator(_shared, TimeSpan.FromMinutes(1), []));
        await _services.StartAsync<TriggerPipelineConsumer>(ServiceSettings.CiTrigger(_shared, new Uri(_sandboxUrl, "github/"), CallTimeout));
        await _services.StartAsync<NotifierDbContext>(ServiceSettings.Notifier(_shared,
            new Uri(_sandboxUrl, "slack" + ServiceSettings.SlackWebhookPath), smtp.Port, CallTimeout));
        var ingress = await _services.StartAsync<IngressDbContext>(ServiceSettings.Ingress(_shared, _secret));
        Webhooks = new Webhooks(ingress.CreateClient(), _secret);
        Runs = new RunsTable(orchestrator.Services);
        await StartCrmSyncAsync();
    }

    /// <summary>Starts CrmSync (again) and waits until it consumes its commands.</summary>
    public async Task StartCrmSyncAsync()
    {
        CrmSync = ServiceProcess.Start("CrmSync", "Automation.CrmSync",
            ServiceSettings.CrmSync(_shared, new Uri(_sandboxUrl, "hubspot/"), CallTimeout));
        await Eventually.Until(async () => CrmSync.HasExited
                || (await VirtualHost.ConsumerCount(StepCommandQueues.UpsertCrmContact) > 0
                    && await VirtualHost.ConsumerCount(StepCommandQueues.LogCrmActivity) > 0),
            "CrmSync consumes its queues", TimeSpan.FromSeconds(60));
        Assert.False(CrmSync.HasExited, $"CrmSync exited at start:{Environment.NewLine}{CrmSync.Output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (CrmSync is not null)
        {
            await CrmSync.DisposeAsync();
        }

        await _services.DisposeAsync();
        await _sandbox.DisposeAsync();
        await VirtualHost.DisposeAsync();
        await Database.DisposeAsync();
    }

    /// <summary>Long: a test kills CrmSync while its call is in flight, and nothing else here hangs.</summary>
    private static TimeSpan CallTimeout => TimeSpan.FromMinutes(1);
}
