using Automation.CiTrigger.Pipelines;
using Automation.CrmSync.HubSpot;
using Automation.Ingress.Storage;
using Automation.Notifier.Persistence;
using Automation.Orchestrator.Runs;
using Automation.Testing.ExternalApis;
using WireMock.Server;

namespace Automation.EndToEnd.Tests.Infrastructure;

/// <summary>The whole system for one test class: the Ingress, the Orchestrator, CrmSync, CiTrigger and the Notifier in the
/// test process, on one virtual host and one database of the class's own; HubSpot, GitHub and Slack as real HTTP servers
/// (WireMock.Net) and a real SMTP server. Tests post signed webhooks and read what the external systems received and what
/// the Orchestrator recorded.</summary>
public class AutomationSystem : IAsyncLifetime
{
    public const string ContentPublished = "content-published";

    private readonly InProcessServices _services = new();
    private readonly string _secret = $"e2e-secret-{Guid.NewGuid():N}";

    public PostgresDatabase Database { get; } = new();

    public RabbitMqVirtualHost VirtualHost { get; } = new();

    public FakeHubSpot HubSpot { get; } = new();

    public FakeCi Ci { get; } = new();

    public WireMockServer Slack { get; } = WireMockServer.Start();

    public SmtpTestServer Smtp { get; private set; } = null!;

    public Webhooks Webhooks { get; private set; } = null!;

    public RunsTable Runs { get; private set; } = null!;

    /// <summary>What the Ingress published, seen as any consumer sees it.</summary>
    public PublishedEvents Published { get; private set; } = null!;

    /// <summary>How long a step may go unanswered before the run compensates.</summary>
    protected virtual TimeSpan StepTimeout => TimeSpan.FromMinutes(1);

    /// <summary>How long a connector waits for an external system's answer.</summary>
    protected virtual TimeSpan CallTimeout => TimeSpan.FromSeconds(5);

    /// <summary>Whether every service declares its queues as quorum queues (<c>RabbitMq:QuorumQueues</c>).</summary>
    protected virtual bool QuorumQueues => false;

    /// <summary>Rules added to the shipped ones (<c>Automation:Rules:…</c> settings).</summary>
    protected virtual Dictionary<string, string> ExtraRules() => [];

    public async ValueTask InitializeAsync()
    {
        await Task.WhenAll(Database.InitializeAsync().AsTask(), VirtualHost.InitializeAsync().AsTask(),
            HubSpot.Server.WarmUpAsync(), Ci.Server.WarmUpAsync(), Slack.WarmUpAsync());
        Smtp = await SmtpTestServer.StartAsync();
        var shared = new ServiceSettings.Shared(Database, VirtualHost, QuorumQueues);
        // The Orchestrator first: its queues are bound before anything is published to them.
        var orchestrator = await _services.StartAsync<RunState>(ServiceSettings.Orchestrator(shared, StepTimeout, ExtraRules()));
        await _services.StartAsync<HubSpotClient>(ServiceSettings.CrmSync(shared, HubSpot.BaseUrl, CallTimeout));
        await _services.StartAsync<TriggerPipelineConsumer>(ServiceSettings.CiTrigger(shared, Ci.BaseUrl, CallTimeout));
        await _services.StartAsync<NotifierDbContext>(ServiceSettings.Notifier(shared, new Uri(new Uri(Slack.Url!), ServiceSettings.SlackWebhookPath),
            Smtp.Port, CallTimeout));
        Published = await PublishedEvents.StartAsync(VirtualHost.Uri);
        var ingress = await _services.StartAsync<IngressDbContext>(ServiceSettings.Ingress(shared, _secret));
        Webhooks = new Webhooks(ingress.CreateClient(), _secret);
        Runs = new RunsTable(orchestrator.Services);
        await WarmUpAsync();
    }

    /// <summary>Runs before the tests, once the system is up.</summary>
    protected virtual Task WarmUpAsync() => Task.CompletedTask;

    /// <summary>The idempotency key of a step of the first run of <paramref name="rule"/> for the event.</summary>
    public static string KeyOf(string eventId, string rule, int step) => $"{ServiceSettings.Source}:{eventId}:{rule}:1:{step}";

    /// <summary>The keys of the three steps of <c>content-published</c>'s first run for the event: the note, the pipeline,
    /// the Slack message.</summary>
    public static (string Note, string Pipeline, string Slack) ContentKeys(string eventId) =>
        (KeyOf(eventId, ContentPublished, 1), KeyOf(eventId, ContentPublished, 2), KeyOf(eventId, ContentPublished, 3));

    /// <summary>HubSpot (note 7101 on contact 5101), GitHub (run 9101) and Slack answer the steps of
    /// <c>content-published</c> for the event.</summary>
    public (string Note, string Pipeline, string Slack) AnswerContentPublished(string eventId)
    {
        var keys = ContentKeys(eventId);
        HubSpot.AnswersActivity(keys.Note, "5101", "7101");
        Ci.Answer("POST", FakeCi.GitHubDispatchPath, keys.Pipeline, FakeCi.RunDetails(9101));
        Slack.Answer(keys.Slack, SlackWebhookStubs.Ok());
        return keys;
    }

    /// <summary>As <see cref="AnswerContentPublished"/>, but GitHub refuses the dispatch (422) and the compensation finds no
    /// run and deletes note 7601 (on contact 5001).</summary>
    public (string Note, string Pipeline, string Slack) AnswerContentRefusedByCi(string eventId)
    {
        var keys = ContentKeys(eventId);
        HubSpot.AnswersActivity(keys.Note, "5001", "7601");
        Ci.Answer("POST", FakeCi.GitHubDispatchPath, keys.Pipeline, FakeCi.GitHubError(422, "No ref found for: main"));
        Ci.Answer("GET", FakeCi.GitHubRunsPath, $"{keys.Pipeline}:compensate", FakeCi.GitHubRuns());
        HubSpot.AnswersNoteDeletion($"{keys.Note}:compensate", "7601");
        Slack.Answer(keys.Slack, SlackWebhookStubs.Ok());
        return keys;
    }

    public async ValueTask DisposeAsync()
    {
        if (Published is not null)
        {
            await Published.DisposeAsync();
        }

        await _services.DisposeAsync();
        if (Smtp is not null)
        {
            await Smtp.DisposeAsync();
        }

        HubSpot.Dispose();
        Ci.Dispose();
        Slack.Stop();
        await VirtualHost.DisposeAsync();
        await Database.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
