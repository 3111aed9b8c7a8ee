using System.Globalization;

namespace Automation.EndToEnd.Tests.Infrastructure;

/// <summary>Each service's settings as a deployment would give them, on one database (each service its own schema) and one
/// virtual host, with the external systems at the tests' addresses and short timeouts and retries, so that failures play
/// out in seconds. The Orchestrator keeps its shipped rules (services/Orchestrator/appsettings.json).</summary>
public static class ServiceSettings
{
    /// <summary>The webhook source the tests post as, and the pipeline and channels the shipped rules name.</summary>
    public const string Source = "e2e";
    public const string Pipeline = "content-publish";
    public const string SlackChannel = "content-team";
    public const string EmailChannel = "ops";
    public const string SlackWebhookPath = "/services/T0E2E/B0E2E/e2e-webhook-secret";
    public const string OpsMailbox = "ops@e2e.test";
    public const string HubSpotToken = "pat-na1-e2e-token";
    public const string GitHubToken = "github_pat_11E2E0000000000000000_e2e";

    /// <summary>Calls each failing step makes before it faults: 1 + 1 immediate retry per delivery, 3 deliveries.</summary>
    public const int CallsUntilFault = 6;

    public static Dictionary<string, string> Ingress(Shared shared, string secret) => With(shared, new()
    {
        [$"Ingress:Sources:{Source}:Scheme"] = "hmac-sha256-hex",
        [$"Ingress:Sources:{Source}:Secrets:0"] = secret,
        [$"Ingress:Sources:{Source}:Events:0"] = "content.state_changed",
        [$"Ingress:Sources:{Source}:Events:1"] = "survey.completed",
        [$"Ingress:Sources:{Source}:Events:2"] = "conversation.message_created",
        [$"Ingress:Sources:{Source}:Events:3"] = "task.executed",
        [$"Ingress:Sources:{Source}:RequestsPerSecond"] = "1000",
    });

    public static Dictionary<string, string> Orchestrator(Shared shared, TimeSpan stepTimeout, Dictionary<string, string> rules)
    {
        var settings = With(shared, new() { ["Automation:StepTimeout"] = stepTimeout.ToString() });
        foreach (var (key, value) in rules)
        {
            settings[key] = value;
        }

        return settings;
    }

    public static Dictionary<string, string> CrmSync(Shared shared, Uri hubSpot, TimeSpan callTimeout) => Connector(shared, callTimeout, new()
    {
        ["CrmSync:HubSpot:BaseUrl"] = hubSpot.ToString(),
        ["CrmSync:HubSpot:AccessToken"] = HubSpotToken,
    });

    public static Dictionary<string, string> CiTrigger(Shared shared, Uri gitHub, TimeSpan callTimeout) => Connector(shared, callTimeout, new()
    {
        [$"CiTrigger:Pipelines:{Pipeline}:Provider"] = "GitHub",
        [$"CiTrigger:Pipelines:{Pipeline}:BaseUrl"] = gitHub.ToString(),
        [$"CiTrigger:Pipelines:{Pipeline}:Owner"] = "example",
        [$"CiTrigger:Pipelines:{Pipeline}:Repo"] = "website",
        [$"CiTrigger:Pipelines:{Pipeline}:Workflow"] = "publish.yml",
        [$"CiTrigger:Pipelines:{Pipeline}:Ref"] = "main",
        [$"CiTrigger:Pipelines:{Pipeline}:Token"] = GitHubToken,
        [$"CiTrigger:Pipelines:{Pipeline}:KeyInput"] = "idempotency_key",
    });

    /// <param name="slackWebhook">The content team's incoming webhook (a path ending <see cref="SlackWebhookPath"/>).</param>
    public static Dictionary<string, string> Notifier(Shared shared, Uri slackWebhook, int smtpPort, TimeSpan callTimeout) => Connector(shared, callTimeout, new()
    {
        [$"Notifier:Channels:{SlackChannel}:Kind"] = "Slack",
        [$"Notifier:Channels:{SlackChannel}:WebhookUrl"] = slackWebhook.ToString(),
        [$"Notifier:Channels:{EmailChannel}:Kind"] = "Email",
        [$"Notifier:Channels:{EmailChannel}:From"] = "Automation <automation@e2e.test>",
        [$"Notifier:Channels:{EmailChannel}:To:0"] = OpsMailbox,
        ["Notifier:Smtp:Host"] = "127.0.0.1",
        ["Notifier:Smtp:Port"] = smtpPort.ToString(CultureInfo.InvariantCulture),
        ["Notifier:Smtp:Security"] = "None",
        ["Notifier:Smtp:Timeout"] = callTimeout.ToString(),
        ["Notifier:Smtp:MinimumThroughput"] = "10000",
    });

    /// <summary>The database and virtual host every service of a test class shares, and whether their queues are quorum
    /// queues (as the production overlay has them).</summary>
    public sealed record Shared(PostgresDatabase Database, RabbitMqVirtualHost VirtualHost, bool QuorumQueues = false);

    private static Dictionary<string, string> Connector(Shared shared, TimeSpan callTimeout, Dictionary<string, string> settings)
    {
        settings["Connector:Http:Timeout"] = callTimeout.ToString();
        // The failures the tests of a class provoke must not open a circuit breaker for the others.
        settings["Connector:Http:MinimumThroughput"] = "10000";
        settings["Connector:Retry:Immediate:0"] = "00:00:00.050";
        settings["Connector:Retry:Redelivery:0"] = "00:00:00.200";
        settings["Connector:Retry:Redelivery:1"] = "00:00:00.400";
        return With(shared, settings);
    }

    private static Dictionary<string, string> With(Shared shared, Dictionary<string, string> settings)
    {
        settings["environment"] = "Testing";
        settings["RabbitMq:Uri"] = shared.VirtualHost.Uri.ToString();
        settings["ConnectionStrings:Automation"] = shared.Database.ConnectionString;
        settings["RabbitMq:QuorumQueues"] = shared.QuorumQueues ? "true" : "false";
        // The telemetry tests read every event's trace; the cap on sampled traces a second would drop some under the load
        // of the classes running beside them.
        settings["Telemetry:MaxTracesPerSecond"] = "0";
        return settings;
    }
}
