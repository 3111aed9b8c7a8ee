using HdrHistogram;

namespace Automation.Bench.EndToEnd;

/// <summary>What one phase at a fixed rate gave, computed after its backlog drained (or the drain timed out) from the
/// events posted during it and the runs that ended.</summary>
public sealed record PhaseResult(
    string Name,
    double OfferedPerSecond,
    double Seconds,
    long Accepted,
    long Rejected,
    long CompletedInWindow,
    double CompletedPerSecond,
    long BacklogAtStart,
    long BacklogAtEnd,
    long BacklogBound,
    long NotCompleted,
    long StillPending,
    double P50Ms,
    double P90Ms,
    double P99Ms,
    double MaxMs,
    bool Held)
{
    /// <summary>A rate holds when the runs that ended during the window kept up with the offered rate (≥ 95 %) and the
    /// backlog at its end is no larger than at its start plus two seconds of arrivals (what is in flight at up to 2 s
    /// latency), with nothing rejected, every run Completed, and the phase started drained (a backlog within that bound).</summary>
    public static PhaseResult From(string name, double rate, DateTime start, DateTime end, Snapshot runs, long rejected, int stillPending)
    {
        var seconds = (end - start).TotalSeconds;
        var posted = runs.Ended.Where(run => run.PostedAt >= start && run.PostedAt < end).ToList();
        var latency = new LongHistogram((long)TimeSpan.FromMinutes(10).TotalMicroseconds, 3);
        foreach (var run in posted.Where(run => run.Completed))
        {
            latency.RecordValue(Math.Clamp((long)(run.FinishedAt - run.PostedAt).TotalMicroseconds, 1, latency.HighestTrackableValue));
        }

        var accepted = runs.Accepted.Count(at => at >= start && at < end);
        var completedInWindow = runs.Ended.Count(run => run.Completed && run.FinishedAt >= start && run.FinishedAt < end);
        var (atStart, atEnd) = (runs.BacklogAt(start), runs.BacklogAt(end));
        var bound = (long)Math.Ceiling(rate * 2);
        var notCompleted = posted.Count(run => !run.Completed);
        // A step that starts on the previous phase's undrained backlog says nothing about its own rate.
        var held = rejected == 0 && notCompleted == 0 && atStart <= bound && completedInWindow >= 0.95 * rate * seconds
            && atEnd <= atStart + bound;
        double Ms(double percentile) => latency.TotalCount == 0 ? double.NaN
            : Math.Round((percentile < 100 ? latency.GetValueAtPercentile(percentile) : latency.GetMaxValue()) / 1000.0, 1);
        return new PhaseResult(name, rate, Math.Round(seconds, 1), accepted, rejected, completedInWindow,
            Math.Round(completedInWindow / seconds, 1), atStart, atEnd, bound, notCompleted, stillPending,
            Ms(50), Ms(90), Ms(99), Ms(100), held);
    }

    public override string ToString() =>
        $"{Name,-14} offered {OfferedPerSecond,6:0}/s for {Seconds,4:0} s: accepted {Accepted}, rejected {Rejected}; completed {CompletedPerSecond,6:0.0}/s in the window; " +
        $"backlog {BacklogAtStart} -> {BacklogAtEnd} (bound +{BacklogBound}); p50 {P50Ms} ms, p90 {P90Ms} ms, p99 {P99Ms} ms, max {MaxMs} ms; " +
        $"not completed {NotCompleted}, never ended {StillPending}: {(Held ? "HELD" : "not held")}";
}
