using System.Globalization;
using Automation.Contracts;
using Automation.Notifier.Persistence;
using Automation.Sandbox;
using Automation.Sandbox.Smtp;
using Automation.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Notifier.Tests.Sandbox;

/// <summary>The Sandbox on real sockets (Kestrel on a free port, its SMTP sink on another), and a Notifier configured as in
/// Development but pointing at this Sandbox's ports.</summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    public const string WebhookPath = "/slack/services/T00SANDBOX/B00SANDBOX/sandbox-not-a-secret";
    public const string Recipient = "ops@sandbox.example";

    private readonly PostgresDatabase _database = new();
    private ServiceFactory<SandboxLedger>? _sandbox;
    private WebApplicationFactory<NotifierDbContext>? _notifier;

    public RabbitMqVirtualHost VirtualHost { get; } = new();

    public Uri SandboxUrl { get; private set; } = null!;

    public int SmtpPort { get; private set; }

    public HttpClient Http { get; private set; } = null!;

    public StepProbe Probe { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _sandbox = new ServiceFactory<SandboxLedger>(new Dictionary<string, string> { ["Sandbox:Smtp:Port"] = "0" });
        _sandbox.UseRealSockets();
        _sandbox.StartServer();
        SandboxUrl = _sandbox.PublicAddress;
        SmtpPort = (await _sandbox.Services.GetRequiredService<SmtpSink>().Listening.WaitAsync(TimeSpan.FromSeconds(10))).Port;
        Http = new HttpClient { BaseAddress = SandboxUrl };

        await _database.InitializeAsync();
        await VirtualHost.InitializeAsync();
        _notifier = new ServiceFactory<NotifierDbContext>(new Dictionary<string, string>
        {
            ["RabbitMq:Uri"] = VirtualHost.Uri.ToString(),
            ["ConnectionStrings:Automation"] = _database.ConnectionString,
            ["Notifier:Channels:content-team:WebhookUrl"] = new Uri(SandboxUrl, WebhookPath).ToString(),
            ["Notifier:Smtp:Port"] = SmtpPort.ToString(CultureInfo.InvariantCulture),
        }).WithWebHostBuilder(host => host.UseEnvironment("Development"));
        _ = _notifier.Services;
        Probe = await StepProbe.StartAsync(VirtualHost);
    }

    public async ValueTask DisposeAsync()
    {
        if (Probe is not null)
        {
            await Probe.DisposeAsync();
        }

        if (_notifier is not null)
        {
            await _notifier.DisposeAsync();
        }

        Http?.Dispose();
        if (_sandbox is not null)
        {
            await _sandbox.DisposeAsync();
        }

        await VirtualHost.DisposeAsync();
        await _database.DisposeAsync();
    }

    public Task SendAsync(SendNotification command) => Probe.SendAsync(StepCommandQueues.SendNotification, command);
}
