using System.Diagnostics;

namespace Automation.ServiceDefaults;

/// <summary>Exports part of a trace that was not sampled where it started (<see cref="SampleOrRecordSampler"/>), once it
/// turns out worth reading: every span of it is recorded in the process, so what is still open can be marked sampled.</summary>
public static class TraceExport
{
    /// <summary>Traces a process turns on from the middle each second, at most: a failure storm (every run compensating
    /// while an external system is down) must not turn into exporting every trace, which costs most when the system is
    /// under stress. Beyond it, only the failed spans themselves are exported.</summary>
    public const int MaxTurnedOnPerSecond = 10;

    private static readonly PerSecondBudget TurnedOn = new(MaxTurnedOnPerSecond);

    /// <summary>From here on the current trace is exported: the current span, the spans of this process still open that
    /// lead to it, and every span started under it, here and in the services its messages and calls reach (they follow the
    /// sampled flag they receive). What ended before, here or elsewhere, stays unexported. A trace sampled already is
    /// left as it is; one not sampled is turned on within <see cref="MaxTurnedOnPerSecond"/>.</summary>
    public static void FromHere()
    {
        var current = Activity.Current;
        if (current is null || current.Recorded || !TurnedOn.TryTake())
        {
            return;
        }

        for (var span = current; span is not null && (span == current || !span.IsStopped); span = span.Parent)
        {
            span.ActivityTraceFlags |= ActivityTraceFlags.Recorded;
        }
    }
}
