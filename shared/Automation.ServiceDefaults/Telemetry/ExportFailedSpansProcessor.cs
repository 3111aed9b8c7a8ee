using System.Diagnostics;
using OpenTelemetry;

namespace Automation.ServiceDefaults;

/// <summary>Makes a failed span of a trace that was not sampled exportable, with the spans of this process still open that
/// lead to it (the consume or request it failed in): the exporter, which comes after this processor, takes only sampled
/// spans. So sampling drops successes only, never a failure or what it failed in.</summary>
public sealed class ExportFailedSpansProcessor : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        if (data.Status == ActivityStatusCode.Error && !data.Recorded)
        {
            TraceExport.WithOpenAncestors(data);
        }
    }
}
