using System.Diagnostics.Metrics;
using Automation.Orchestrator.Operations;

namespace Automation.Orchestrator.Runs;

/// <summary>The gauge <c>automation.runs.current{state}</c> (meter <c>Automation.Orchestrator</c>): how many runs are in each
/// state, as <see cref="RunsByStateRefresher"/> last counted them in the runs table, so a scrape never queries the database.
/// Once a count succeeded every state is reported, 0 included; before the first, none (a 0 would claim a count no one made).</summary>
public sealed class RunsByState
{
    public const string InstrumentName = "automation.runs.current";

    private volatile IReadOnlyDictionary<string, long>? _last;

    public RunsByState(IMeterFactory meters) =>
        meters.Create(RunMetrics.Name).CreateObservableGauge(InstrumentName, Observe, "{run}",
            "Runs in each state (Running, Completed, Compensating, Compensated, Failed), as last counted in the runs table (RunMetrics:RefreshInterval).");

    /// <summary>The counts of the states found; the others are 0.</summary>
    public void Update(IReadOnlyDictionary<string, long> counts) => _last = counts;

    private IEnumerable<Measurement<long>> Observe()
    {
        var last = _last;
        if (last is null)
        {
            return [];
        }

        return RunStates.Stored.Union(last.Keys, StringComparer.Ordinal)
            .Select(state => new Measurement<long>(last.GetValueOrDefault(state), new KeyValuePair<string, object?>("state", state)))
            .ToList();
    }
}
