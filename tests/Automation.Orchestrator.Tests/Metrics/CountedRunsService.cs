using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using Automation.Orchestrator.Persistence;
using Automation.Orchestrator.Runs;
using Automation.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Testing;
using Npgsql;

namespace Automation.Orchestrator.Tests.Metrics;

/// <summary>One Orchestrator for a test class, on its own database (reached through a proxy the class can cut) and virtual
/// host, counting its runs by state every second, with its logs collected. The class writes runs straight into the runs
/// table, past the proxy, so it can add runs while the service cannot reach the database.</summary>
public sealed partial class CountedRunsService : IAsyncLifetime
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    private ServiceFactory<RunState>? _factory;

    public PostgresDatabase Database { get; } = new();

    public RabbitMqVirtualHost VirtualHost { get; } = new();

    public TcpProxy DatabaseProxy { get; private set; } = null!;

    public IServiceProvider Services => _factory!.Services;

    public FakeLogCollector Logs => Services.GetRequiredService<FakeLogCollector>();

    public async ValueTask InitializeAsync()
    {
        await Task.WhenAll(Database.InitializeAsync().AsTask(), VirtualHost.InitializeAsync().AsTask());
        var direct = new NpgsqlConnectionStringBuilder(Database.ConnectionString);
        DatabaseProxy = new TcpProxy(direct.Host!, direct.Port);
        var settings = new Dictionary<string, string>
        {
            ["RabbitMq:Uri"] = VirtualHost.Uri.ToString(),
            ["ConnectionStrings:Automation"] = new NpgsqlConnectionStringBuilder(Database.ConnectionString) { Host = "127.0.0.1", Port = DatabaseProxy.Port }.ConnectionString,
            ["RunMetrics:RefreshInterval"] = RefreshInterval.ToString(),
        };
        _factory = new ServiceFactory<RunState>(settings, services => services.AddFakeLogging());
        _ = _factory.Services;
    }

    /// <summary>Reads <c>automation.runs.current</c> of this service (not of another in the test process).</summary>
    public MetricCollector<long> Gauge() =>
        new(Services.GetRequiredService<IMeterFactory>(), RunMetrics.Name, RunsByState.InstrumentName);

    /// <summary>What the gauge reports now: the count of each state it reports.</summary>
    public static IReadOnlyDictionary<string, long> Reported(MetricCollector<long> gauge)
    {
        gauge.Clear();
        gauge.RecordObservableInstruments();
        return gauge.GetMeasurementSnapshot().ToDictionary(measurement => (string)measurement.Tags["state"]!, measurement => measurement.Value, StringComparer.Ordinal);
    }

    /// <summary>The states of the gauge that an operator's scrape of <c>/metrics</c> on the management port shows.</summary>
    public async Task<IReadOnlyList<string>> ScrapedStatesAsync()
    {
        using var management = _factory!.CreateManagementClient();
        var scrape = await management.GetStringAsync(new Uri("/metrics", UriKind.Relative), TestContext.Current.CancellationToken);
        return [.. ScrapedGauge().Matches(scrape).Select(match => match.Groups["state"].Value).Distinct().Order(StringComparer.Ordinal)];
    }

    /// <summary>Writes <paramref name="count"/> runs in <paramref name="state"/> into the runs table, not through the proxy.</summary>
    public async Task AddRunsAsync(string state, int count)
    {
        var options = new DbContextOptionsBuilder<OrchestratorDbContext>().UseNpgsql(Database.ConnectionString);
        OrchestratorDbContext.Configure(options);
        await using var dbContext = new OrchestratorDbContext(options.Options);
        for (var index = 0; index < count; index++)
        {
            var eventId = $"evt_{Guid.NewGuid():N}";
            dbContext.Runs.Add(new RunState
            {
                CorrelationId = RunIds.For("gauge", eventId, "counted", 1),
                CurrentState = state,
                EventRecordId = Guid.NewGuid(),
                Source = "gauge",
                EventId = eventId,
                EventType = "content.state_changed",
                Rule = "counted",
                Run = 1,
                OccurredAt = DateTime.UtcNow,
                StartedAt = DateTime.UtcNow,
            });
        }

        await dbContext.SaveChangesAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        DatabaseProxy?.Restore();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (DatabaseProxy is not null)
        {
            await DatabaseProxy.DisposeAsync();
        }

        await VirtualHost.DisposeAsync();
        await Database.DisposeAsync();
    }

    [GeneratedRegex("""^automation_runs_current\{[^}]*state="(?<state>\w+)"[^}]*\} \d+""", RegexOptions.Multiline)]
    private static partial Regex ScrapedGauge();
}
