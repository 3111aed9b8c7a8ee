using Automation.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Automation.Ingress.Tests.Infrastructure;

/// <summary>One running Ingress for a test class, with its own database and virtual host, the test sources below, and
/// a <see cref="PublishedEvents"/> watching what it publishes.</summary>
public class IngressServiceFixture : IAsyncLifetime
{
    // Secrets are at least 32 characters, as the service requires of every scheme but Standard Webhooks.
    public const string HexSecret = "hex-secret-current-0123456789abcdef";
    public const string HexOldSecret = "hex-secret-previous-0123456789abcdef";
    public const string GitHubSecret = "github-secret-0123456789abcdef0123";
    public const string StandardWebhooksSecret = "whsec_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";
    public const int SmallSourceLimit = 2048;

    private static readonly string[] AllTypes = ["survey.completed", "content.state_changed", "conversation.message_created", "task.executed"];

    public PostgresDatabase Database { get; } = new();

    public RabbitMqVirtualHost VirtualHost { get; } = new();

    public PublishedEvents Published { get; private set; } = null!;

    public IngressFactory Factory { get; private set; } = null!;

    /// <summary>A client of the public port: webhooks and the bare liveness answer.</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>A client of the management port: detailed readiness, metrics, the OpenAPI document.</summary>
    public HttpClient Management { get; private set; } = null!;

    public Uri ServerAddress => Client.BaseAddress!;

    public virtual async ValueTask InitializeAsync()
    {
        await Database.InitializeAsync();
        await VirtualHost.InitializeAsync();
        if (WatchPublishedFromStart)
        {
            await WatchPublishedAsync();
        }

        Factory = new IngressFactory(Settings(), ConfigureServices, HostSettings());
        Factory.StartServer();
        Client = Factory.CreateClient();
        Management = Factory.CreateManagementClient();
        // Tests start from a ready service, as after a deployment: its bus connected and its publish topology deployed.
        await Eventually.Until(async () =>
        {
            using var ready = await Management.GetAsync(new Uri("/health/ready", UriKind.Relative));
            return ready.IsSuccessStatusCode;
        }, "the Ingress is ready");
    }

    /// <summary>Whether <see cref="Published"/> binds its queue before the Ingress starts; otherwise a test does it
    /// (<see cref="WatchPublishedAsync"/>), and until then no queue takes the events.</summary>
    protected virtual bool WatchPublishedFromStart => true;

    public async Task WatchPublishedAsync() => Published = await PublishedEvents.StartAsync(VirtualHost.Uri);

    /// <summary>The database the service connects to (a subclass may put a proxy in between).</summary>
    protected virtual string ServiceConnectionString => Database.ConnectionString;

    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <summary>Settings read while the service is built (see <see cref="IngressFactory"/>).</summary>
    protected virtual Dictionary<string, string> HostSettings() => [];

    protected virtual Dictionary<string, string?> Settings()
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Automation"] = ServiceConnectionString,
            ["RabbitMq:Uri"] = VirtualHost.Uri.ToString(),
            ["Ingress:BodyReadTimeout"] = "00:00:02",
            ["Ingress:UnavailableRetryAfter"] = "00:00:07",
        };
        AddSource(settings, "hex", "hmac-sha256-hex", [HexOldSecret, HexSecret],
            ["survey.completed", "content.state_changed", "conversation.message_created"]);
        AddSource(settings, "github", "github", [GitHubSecret], AllTypes);
        AddSource(settings, "standard", "standard-webhooks", [StandardWebhooksSecret], AllTypes);
        AddSource(settings, "limited", "hmac-sha256-hex", [HexSecret], AllTypes, requestsPerSecond: "0.5", burst: "2");
        AddSource(settings, "small", "hmac-sha256-hex", [HexSecret], AllTypes, maxBodyBytes: SmallSourceLimit);
        return settings;
    }

    public static void AddSource(IDictionary<string, string?> settings, string id, string scheme, string[] secrets, string[] events,
        string requestsPerSecond = "100000", string? burst = null, int? maxBodyBytes = null)
    {
        var prefix = $"Ingress:Sources:{id}:";
        settings[prefix + "Scheme"] = scheme;
        for (var index = 0; index < secrets.Length; index++)
        {
            settings[$"{prefix}Secrets:{index}"] = secrets[index];
        }

        for (var index = 0; index < events.Length; index++)
        {
            settings[$"{prefix}Events:{index}"] = events[index];
        }

        settings[prefix + "RequestsPerSecond"] = requestsPerSecond;
        if (burst is not null)
        {
            settings[prefix + "Burst"] = burst;
        }

        if (maxBodyBytes is not null)
        {
            settings[prefix + "MaxBodyBytes"] = maxBodyBytes.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The rows stored for an event id, as (source, status, id), read straight from the database.</summary>
    public async Task<IReadOnlyList<StoredEvent>> StoredAsync(string eventId)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT id, source, status, type, version, scheme, webhook_id, body FROM ingress.events WHERE event_id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = eventId });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<StoredEvent>();
        while (await reader.ReadAsync())
        {
            rows.Add(new StoredEvent(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4),
                reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : (byte[])reader[7]));
        }

        return rows;
    }

    /// <summary>Messages in the bus outbox not yet delivered to RabbitMQ.</summary>
    public async Task<long> UndeliveredCountAsync()
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM ingress.outbox_message", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task<long> StoredCountAsync()
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM ingress.events", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Proves nothing was published for <paramref name="eventId"/>: a later event from the same service is
    /// seen first, so an earlier publish would have arrived already.</summary>
    public async Task AssertNothingPublishedAsync(string eventId)
    {
        var marker = TestWebhooks.NewEventId();
        using var response = await Client.SendAsync(TestWebhooks.Hex("hex", TestWebhooks.Envelope(marker)));
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        await Published.WaitForAsync(marker);
        Assert.Empty(Published.For(eventId));
    }

    public virtual async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        Management?.Dispose();
        if (Factory is not null)
        {
            await Factory.DisposeAsync();
        }

        if (Published is not null)
        {
            await Published.DisposeAsync();
        }

        await VirtualHost.DisposeAsync();
        await Database.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

/// <param name="Body">The raw body, or null once retention purged it.</param>
public sealed record StoredEvent(Guid Id, string Source, string Status, string Type, int Version, string Scheme, string? WebhookId, byte[]? Body);
