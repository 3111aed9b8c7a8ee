using System.Diagnostics;
using HdrHistogram;

namespace Automation.Bench.Ingress;

/// <summary>One sender's tally: a latency histogram (microseconds, 3 significant digits) and answers by status.
/// Each sender has its own, merged at the end, so recording takes no lock.</summary>
public sealed class LatencyRecorder
{
    private static readonly long HighestMicroseconds = (long)TimeSpan.FromMinutes(2).TotalMicroseconds;

    public LongHistogram Latency { get; } = new(HighestMicroseconds, 3);

    public Dictionary<int, long> Statuses { get; } = [];

    public long Failures { get; private set; }

    public void Record(int status, long startedTimestamp)
    {
        var microseconds = (long)Stopwatch.GetElapsedTime(startedTimestamp).TotalMicroseconds;
        Latency.RecordValue(Math.Clamp(microseconds, 1, HighestMicroseconds));
        Statuses[status] = Statuses.GetValueOrDefault(status) + 1;
    }

    /// <summary>A request that got no HTTP answer at all (connection refused or reset, client timeout).</summary>
    public void RecordFailure() => Failures++;

    public static LatencyRecorder Merge(IEnumerable<LatencyRecorder> recorders)
    {
        var merged = new LatencyRecorder();
        foreach (var recorder in recorders)
        {
            merged.Latency.Add(recorder.Latency);
            merged.Failures += recorder.Failures;
            foreach (var (status, count) in recorder.Statuses)
            {
                merged.Statuses[status] = merged.Statuses.GetValueOrDefault(status) + count;
            }
        }

        return merged;
    }

    public LatencySummary Summarize() => new(
        Latency.TotalCount,
        Milliseconds(Latency.GetValueAtPercentile(50)),
        Milliseconds(Latency.GetValueAtPercentile(90)),
        Milliseconds(Latency.GetValueAtPercentile(99)),
        Milliseconds(Latency.GetMaxValue()));

    private static double Milliseconds(long microseconds) => Math.Round(microseconds / 1000.0, 3);
}

public sealed record LatencySummary(long Count, double P50Ms, double P90Ms, double P99Ms, double MaxMs);
