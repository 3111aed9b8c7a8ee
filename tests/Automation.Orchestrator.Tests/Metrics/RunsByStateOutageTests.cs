using Automation.Orchestrator.Operations;
using Automation.Orchestrator.Runs;
using Automation.Testing;
using static Automation.Orchestrator.Tests.Metrics.RunsByStateTests;

namespace Automation.Orchestrator.Tests.Metrics;

/// <summary>While the database is away the runs-by-state gauge keeps its last counts and the service keeps running; the
/// counts catch up once the database is back.</summary>
public sealed class RunsByStateOutageTests(CountedRunsService service) : IClassFixture<CountedRunsService>
{
    private static readonly string RefresherCategory = typeof(RunsByStateRefresher).FullName!;

    [Fact]
    public async Task A_count_that_fails_keeps_the_last_counts_and_the_next_one_after_the_outage_catches_up()
    {
        using var gauge = service.Gauge();
        await service.AddRunsAsync(RunStates.Running, 2);
        var before = Counts(running: 2);
        await Eventually.Until(() => Describe(CountedRunsService.Reported(gauge)) == Describe(before), $"the gauge reported {Describe(before)}");

        service.Logs.Clear();
        service.DatabaseProxy.Cut();
        await service.AddRunsAsync(RunStates.Failed, 1);
        await Eventually.Until(() => service.Logs.GetSnapshot().Any(entry => entry.Category == RefresherCategory),
            "a count failed and was logged");
        Assert.Equal(Describe(before), Describe(CountedRunsService.Reported(gauge)));

        service.DatabaseProxy.Restore();
        var after = Counts(running: 2, failed: 1);
        await Eventually.Until(() => Describe(CountedRunsService.Reported(gauge)) == Describe(after), $"the gauge reported {Describe(after)}");
    }
}
