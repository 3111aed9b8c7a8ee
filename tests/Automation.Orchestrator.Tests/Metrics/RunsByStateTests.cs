using System.Collections.Concurrent;
using System.Diagnostics;
using Automation.Orchestrator.Operations;
using Automation.Testing;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Automation.Orchestrator.Tests.Metrics;

/// <summary><c>automation.runs.current{state}</c>: the runs in each state, 0 for a state without runs, counted in the
/// background without a trace, and scraped from <c>/metrics</c>.</summary>
public sealed class RunsByStateTests(CountedRunsService service) : IClassFixture<CountedRunsService>
{
    [Fact]
    public async Task The_gauge_reports_the_runs_in_each_state_and_zero_for_the_others_and_its_counts_record_no_span()
    {
        using var statements = new DatabaseStatements(service.Database.Name);
        using var gauge = service.Gauge();

        await service.AddRunsAsync(RunStates.Running, 3);
        await service.AddRunsAsync(RunStates.Completed, 2);
        await service.AddRunsAsync(RunStates.Failed, 1);

        var expected = Counts(running: 3, completed: 2, failed: 1);
        await Eventually.Until(() => Describe(CountedRunsService.Reported(gauge)) == Describe(expected),
            $"the gauge reported {Describe(expected)}");
        // Operators scrape it. Every Orchestrator in this test process exports every other's gauge too (a meter provider
        // listens process-wide), so the scrape proves the export of each state, and the collector above its values.
        await Eventually.Until(async () => (await service.ScrapedStatesAsync()).SequenceEqual(expected.Keys.Order(StringComparer.Ordinal)),
            "/metrics showed every state of automation.runs.current");
        var counts = statements.Recorded.Where(text => text.Contains("GROUP BY", StringComparison.Ordinal)).ToList();
        Assert.True(counts.Count == 0, $"The counts recorded {counts.Count} spans, e.g. {counts.FirstOrDefault()}");
    }

    internal static Dictionary<string, long> Counts(long running = 0, long completed = 0, long compensating = 0, long compensated = 0, long failed = 0) => new()
    {
        [RunStates.Running] = running,
        [RunStates.Completed] = completed,
        [RunStates.Compensating] = compensating,
        [RunStates.Compensated] = compensated,
        [RunStates.Failed] = failed,
    };

    internal static string Describe(IReadOnlyDictionary<string, long> counts) =>
        string.Join(", ", counts.OrderBy(count => count.Key, StringComparer.Ordinal).Select(count => $"{count.Key} {count.Value}"));

    /// <summary>The statements on one database that the service's tracing recorded as spans (its own sampler and suppression
    /// decide; this listener samples nothing itself).</summary>
    private sealed class DatabaseStatements : IDisposable
    {
        private readonly ConcurrentQueue<string> _recorded = new();
        private readonly TracerProvider _provider;

        public DatabaseStatements(string database) => _provider = Sdk.CreateTracerProviderBuilder()
            .SetSampler(new AlwaysOffSampler())
            .AddNpgsql()
            .AddProcessor(new Collector(database, _recorded))
            .Build();

        public IReadOnlyList<string> Recorded => [.. _recorded];

        public void Dispose() => _provider.Dispose();

        private sealed class Collector(string database, ConcurrentQueue<string> recorded) : BaseProcessor<Activity>
        {
            public override void OnEnd(Activity data)
            {
                if (data.Recorded && data.GetTagItem("db.namespace") as string == database)
                {
                    recorded.Enqueue(data.GetTagItem("db.query.text") as string ?? data.DisplayName);
                }
            }
        }
    }
}
