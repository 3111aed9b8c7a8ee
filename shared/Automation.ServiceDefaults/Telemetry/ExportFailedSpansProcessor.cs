using System.Diagnostics;
using OpenTelemetry;

namespace Automation.ServiceDefaults;

/// <summary>Makes a failed span of a trace that was not sampled exportable: the exporter, which comes after this processor,
/// takes only sampled spans. So sampling drops successes only, never a failure.</summary>
public sealed class ExportFailedSpansProcessor : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        if (data.Status == ActivityStatusCode.Error && !data.Recorded)
        {
            data.ActivityTraceFlags |= ActivityTraceFlags.Recorded;
        }
    }
}
