using System.Diagnostics;
using OpenTelemetry;

namespace Automation.ServiceDefaults;

/// <summary>Makes a failed span of a trace that was not sampled exportable, with the spans of this process still open that
/// lead to it (the consume or request it failed in), each as it ends: the exporter, which comes after this processor,
/// takes only sampled spans. So sampling drops successes only, never a failure or what it failed in. The open spans are
/// marked, not sampled on the spot: what starts under them afterwards (a retry's sends) keeps the trace's decision.</summary>
public sealed class ExportFailedSpansProcessor : BaseProcessor<Activity>
{
    private const string FailedUnder = "automation.failed_under";

    public override void OnEnd(Activity data)
    {
        if (data.Recorded || (data.Status != ActivityStatusCode.Error && data.GetCustomProperty(FailedUnder) is null))
        {
            return;
        }

        data.ActivityTraceFlags |= ActivityTraceFlags.Recorded;
        for (var parent = data.Parent; parent is not null && !parent.IsStopped; parent = parent.Parent)
        {
            parent.SetCustomProperty(FailedUnder, true);
        }
    }
}
