using System.Diagnostics;

namespace Automation.ServiceDefaults;

/// <summary>Exports part of a trace that was not sampled where it started (<see cref="SampleOrRecordSampler"/>), once it
/// turns out worth reading: every span of it is recorded in the process, so what is still open can be marked sampled.</summary>
public static class TraceExport
{
    /// <summary>From here on the current trace is exported: the current span, the spans of this process still open that
    /// lead to it, and every span started under it, here and in the services its messages and calls reach (they follow the
    /// sampled flag they receive). What ended before, here or elsewhere, stays unexported.</summary>
    public static void FromHere() => WithOpenAncestors(Activity.Current);

    /// <summary>Marks <paramref name="span"/> sampled, and its ancestors in this process that have not ended yet.</summary>
    public static void WithOpenAncestors(Activity? span)
    {
        for (var current = span; current is not null; current = current.Parent)
        {
            if (current != span && current.IsStopped)
            {
                break;
            }

            current.ActivityTraceFlags |= ActivityTraceFlags.Recorded;
        }
    }
}
