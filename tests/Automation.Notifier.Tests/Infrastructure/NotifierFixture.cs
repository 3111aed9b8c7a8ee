using Automation.Contracts;
using Automation.Notifier.Persistence;
using Automation.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using WireMock.Server;

namespace Automation.Notifier.Tests.Infrastructure;

/// <summary>One Notifier for a test class, on its own database and virtual host, with Slack played by WireMock and the mail
/// server by <see cref="SmtpTestServer"/>; short retry intervals and timeouts so failure paths take seconds, and circuit
/// breakers that never open (the failures one test provokes must not pause another test's calls).</summary>
public class NotifierFixture : IAsyncLifetime
{
    public const string SlackChannel = "content-team";
    public const string HangingSlackChannel = "hanging-team";
    public const string EmailChannel = "ops";
    public const string WebhookSecret = "xoxTESTsecret0123456789";
    public const string WebhookPath = "/services/T0TEST/B0TEST/" + WebhookSecret;
    public const string Sender = "automation@notifier.test";
    public const string Recipient = "ops@notifier.test";

    /// <summary>Calls and e-mails of one attempt time out after this: short, so a hanging system faults within seconds;
    /// long enough for a call on two busy cores.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(2);

    private readonly PostgresDatabase _database = new();
    private WebApplicationFactory<NotifierDbContext>? _service;

    public RabbitMqVirtualHost VirtualHost { get; } = new();

    public WireMockServer Slack { get; private set; } = null!;

    /// <summary>A Slack that never answers, behind <see cref="HangingSlackChannel"/>.</summary>
    public HangingServer HangingSlack { get; } = new();

    public SmtpTestServer Smtp { get; private set; } = null!;

    public StepProbe Probe { get; private set; } = null!;

    public FakeLogCollector Logs => _service!.Services.GetRequiredService<FakeLogCollector>();

    public IServiceProvider Services => _service!.Services;

    public string DatabaseConnectionString => _database.ConnectionString;

    public async ValueTask InitializeAsync()
    {
        await _database.InitializeAsync();
        await VirtualHost.InitializeAsync();
        Slack = WireMockServer.Start();
        Smtp = await SmtpTestServer.StartAsync();
        _service = new ServiceFactory<NotifierDbContext>(Settings()).WithWebHostBuilder(host =>
        {
            host.UseEnvironment("Testing");
            host.ConfigureServices(services => services.AddFakeLogging());
        });
        _ = _service.Services;
        Probe = await StepProbe.StartAsync(VirtualHost);
        await WarmUpAsync();
    }

    /// <summary>Sends one Slack message and one e-mail before the tests, so no test's first call pays for the service's
    /// first (compiling, connecting) and times out.</summary>
    private async Task WarmUpAsync()
    {
        var slack = NewStep();
        Slack.Answer(slack.IdempotencyKey, SlackWebhookStubs.Ok());
        await SendAsync(Notification(slack, SlackChannel, "warm-up"));
        await Probe.Succeeded(slack);
        if (SmtpAnswers)
        {
            var email = NewStep();
            await SendAsync(Notification(email, EmailChannel, "warm-up"));
            await Probe.Succeeded(email);
        }
    }

    /// <summary>False in a fixture whose mail server cannot be reached.</summary>
    protected virtual bool SmtpAnswers => true;

    public async ValueTask DisposeAsync()
    {
        if (Probe is not null)
        {
            await Probe.DisposeAsync();
        }

        if (_service is not null)
        {
            await _service.DisposeAsync();
        }

        Slack?.Stop();
        HangingSlack.Dispose();
        if (Smtp is not null)
        {
            await Smtp.DisposeAsync();
        }

        await VirtualHost.DisposeAsync();
        await _database.DisposeAsync();
    }

    protected virtual Dictionary<string, string> Settings() => new()
    {
        ["RabbitMq:Uri"] = VirtualHost.Uri.ToString(),
        ["ConnectionStrings:Automation"] = _database.ConnectionString,
        ["Connector:Retry:Immediate:0"] = "00:00:00.050",
        ["Connector:Retry:Redelivery:0"] = "00:00:00.200",
        ["Connector:Retry:Redelivery:1"] = "00:00:00.200",
        ["Connector:Http:Timeout"] = CallTimeout.ToString(),
        ["Connector:Http:MinimumThroughput"] = "10000",
        ["Logging:Fake:LogLevel:Default"] = "Trace",
        [$"Notifier:Channels:{SlackChannel}:Kind"] = "Slack",
        [$"Notifier:Channels:{SlackChannel}:WebhookUrl"] = Slack.Url + WebhookPath,
        [$"Notifier:Channels:{HangingSlackChannel}:Kind"] = "Slack",
        [$"Notifier:Channels:{HangingSlackChannel}:WebhookUrl"] = $"http://127.0.0.1:{HangingSlack.Port}{WebhookPath}",
        [$"Notifier:Channels:{EmailChannel}:Kind"] = "Email",
        [$"Notifier:Channels:{EmailChannel}:From"] = $"Automation <{Sender}>",
        [$"Notifier:Channels:{EmailChannel}:To:0"] = Recipient,
        [$"Notifier:Channels:{EmailChannel}:Subject"] = "Automation: {{data.title}}",
        ["Notifier:Smtp:Host"] = "127.0.0.1",
        ["Notifier:Smtp:Port"] = Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Notifier:Smtp:Security"] = "None",
        ["Notifier:Smtp:Timeout"] = CallTimeout.ToString(),
        ["Notifier:Smtp:MinimumThroughput"] = "10000",
    };

    /// <summary>A step of its own for each test (a new event), so tests sharing the service never share a key.</summary>
    public static StepIdentity NewStep(int step = 3) =>
        new(Guid.NewGuid(), "tests", $"evt_{Guid.NewGuid():N}", "content-published", 1, step);

    public static SendNotification Notification(StepIdentity step, string channel, string template, params (string Name, string Value)[] values) =>
        new(step, channel, template, values.ToDictionary(value => value.Name, value => value.Value));

    public Task SendAsync(SendNotification command, Guid? messageId = null) =>
        Probe.SendAsync(StepCommandQueues.SendNotification, command, messageId);
}
