using System.Net;
using System.Text.Json;
using Automation.Orchestrator.Runs;

namespace Automation.Orchestrator.Tests.Operations;

/// <summary>The summary's figures on runs of known durations and outcomes written straight into the runs table of the
/// class's own database (no event reaches this class's service, so they are the only runs).</summary>
public sealed class RunSummaryTests(RunSummaryTests.SummaryService service) : IClassFixture<RunSummaryTests.SummaryService>
{
    private static readonly DateTime Now = DateTime.UtcNow;

    /// <summary>The service, with the known runs in its table.</summary>
    public sealed class SummaryService : OperationsService, IAsyncLifetime
    {
        /// <summary>alpha: 100 runs taking 1 to 100 s, of which 10 compensated and 5 failed; beta: 3 completed taking 2, 4 and 6 s
        /// and one still running; gamma: one completed run that started 2 hours ago, outside a 1-hour window.</summary>
        async ValueTask IAsyncLifetime.InitializeAsync()
        {
            await InitializeAsync();
            var runs = new List<RunState>();
            for (var seconds = 1; seconds <= 100; seconds++)
            {
                var state = seconds % 10 == 0 ? "Compensated" : seconds % 20 == 1 ? "Failed" : "Completed";
                runs.Add(Run("alpha", seconds, state, Now.AddMinutes(-30), TimeSpan.FromSeconds(seconds)));
            }

            runs.AddRange(new[] { 2, 4, 6 }.Select((seconds, index) =>
                Run("beta", index + 1, "Completed", Now.AddMinutes(-5), TimeSpan.FromSeconds(seconds))));
            runs.Add(Run("beta", 4, "Running", Now.AddMinutes(-1), null));
            runs.Add(Run("gamma", 1, "Completed", Now.AddHours(-2), TimeSpan.FromSeconds(500)));
            await Query(async db =>
            {
                db.Runs.AddRange(runs);
                return await db.SaveChangesAsync();
            });
        }
    }

    [Fact]
    public async Task The_summary_gives_failure_rates_and_latency_percentiles_overall_and_per_rule()
    {
        using var client = service.Operator();

        var summary = await client.GetJson("/operations/summary?window=1h");

        Assert.Equal("1h", summary.GetProperty("window").GetString());
        var rules = summary.GetProperty("rules").EnumerateArray().ToDictionary(rule => rule.GetProperty("rule").GetString()!, rule => rule.GetProperty("figures"));
        Assert.Equal(["alpha", "beta"], rules.Keys);
        AssertFigures(rules["alpha"], runs: 100, inProgress: 0, completed: 85, compensated: 10, failed: 5, failureRate: 0.15,
            p50: 50_500, p95: 95_050, p99: 99_010);
        AssertFigures(rules["beta"], runs: 4, inProgress: 1, completed: 3, compensated: 0, failed: 0, failureRate: 0,
            p50: 4_000, p95: 5_800, p99: 5_960);
        var overall = Enumerable.Range(1, 100).Select(seconds => seconds * 1000.0).Concat([2000, 4000, 6000]).Order().ToList();
        AssertFigures(summary.GetProperty("overall"), runs: 104, inProgress: 1, completed: 88, compensated: 10, failed: 5, failureRate: 15.0 / 103,
            p50: Percentile(overall, 0.5), p95: Percentile(overall, 0.95), p99: Percentile(overall, 0.99));
    }

    [Fact]
    public async Task A_longer_window_counts_older_runs()
    {
        using var client = service.Operator();

        var summary = await client.GetJson("/operations/summary?window=3h");

        var gamma = summary.GetProperty("rules").EnumerateArray().Single(rule => rule.GetProperty("rule").GetString() == "gamma").GetProperty("figures");
        AssertFigures(gamma, runs: 1, inProgress: 0, completed: 1, compensated: 0, failed: 0, failureRate: 0, p50: 500_000, p95: 500_000, p99: 500_000);
        Assert.Equal(105, summary.GetProperty("overall").GetProperty("runs").GetInt32());
    }

    [Fact]
    public async Task A_window_without_runs_has_no_rate_and_no_latency()
    {
        using var client = service.Operator();

        var summary = await client.GetJson("/operations/summary?window=30s");

        var overall = summary.GetProperty("overall");
        Assert.Equal((0, JsonValueKind.Null, JsonValueKind.Null),
            (overall.GetProperty("runs").GetInt32(), overall.GetProperty("failureRate").ValueKind, overall.GetProperty("latency").GetProperty("p50").ValueKind));
        Assert.Empty(summary.GetProperty("rules").EnumerateArray());
    }

    [Theory]
    [InlineData("window=hour")]
    [InlineData("window=0h")]
    [InlineData("window=32d")]
    [InlineData("window=-1h")]
    [InlineData("window=1h&rule=alpha")]
    public async Task A_bad_window_is_answered_400_naming_it(string query)
    {
        using var client = service.Operator();

        var problem = await client.GetJson($"/operations/summary?{query}", HttpStatusCode.BadRequest);

        Assert.Equal([query.Contains("rule", StringComparison.Ordinal) ? "rule" : "window"], problem.ErrorNames());
    }

    private static void AssertFigures(JsonElement figures, int runs, int inProgress, int completed, int compensated, int failed, double failureRate,
        double p50, double p95, double p99)
    {
        Assert.Equal((runs, inProgress, completed, compensated, failed), (figures.GetProperty("runs").GetInt32(), figures.GetProperty("inProgress").GetInt32(),
            figures.GetProperty("completed").GetInt32(), figures.GetProperty("compensated").GetInt32(), figures.GetProperty("failed").GetInt32()));
        Assert.Equal(failureRate, figures.GetProperty("failureRate").GetDouble(), 6);
        var latency = figures.GetProperty("latency");
        Assert.Equal(p50, latency.GetProperty("p50").GetDouble(), 3);
        Assert.Equal(p95, latency.GetProperty("p95").GetDouble(), 3);
        Assert.Equal(p99, latency.GetProperty("p99").GetDouble(), 3);
    }

    /// <summary>Linear interpolation between the closest ranks, as PostgreSQL's percentile_cont.</summary>
    private static double Percentile(IReadOnlyList<double> sorted, double fraction)
    {
        var rank = fraction * (sorted.Count - 1);
        var below = (int)Math.Floor(rank);
        return below + 1 < sorted.Count ? sorted[below] + (rank - below) * (sorted[below + 1] - sorted[below]) : sorted[below];
    }

    private static RunState Run(string rule, int number, string state, DateTime startedAt, TimeSpan? took) => new()
    {
        CorrelationId = RunIds.For("summary", $"evt_{rule}_{number}", rule, 1),
        CurrentState = state,
        EventRecordId = Guid.NewGuid(),
        Source = "summary",
        EventId = $"evt_{rule}_{number}",
        EventType = "content.state_changed",
        Rule = rule,
        Run = 1,
        OccurredAt = startedAt,
        StartedAt = startedAt,
        FinishedAt = startedAt + took,
    };
}
