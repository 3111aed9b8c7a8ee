using System.Diagnostics;
using OpenTelemetry.Trace;

namespace Automation.ServiceDefaults;

/// <summary>Samples whole traces, decided once where a trace starts and followed by every span of it, also across services:
/// a new trace is sampled at <see cref="TelemetryOptions.TraceSampleRatio"/> (by its trace id) and while fewer than
/// <see cref="TelemetryOptions.MaxTracesPerSecond"/> were started this second. A span of a trace not sampled is still
/// recorded (not exported), so that <see cref="ExportFailedSpansProcessor"/> can export it if it fails.</summary>
public sealed class SampleOrRecordSampler(double ratio, int maxTracesPerSecond = 0) : Sampler
{
    private static readonly SamplingResult Sampled = new(SamplingDecision.RecordAndSample);
    private static readonly SamplingResult RecordedOnly = new(SamplingDecision.RecordOnly);
    private readonly TraceIdRatioBasedSampler _ratio = new(ratio);
    private readonly Lock _gate = new();
    private long _second;
    private int _startedThisSecond;

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        var parent = samplingParameters.ParentContext;
        var sampled = parent.TraceId != default
            ? parent.TraceFlags.HasFlag(ActivityTraceFlags.Recorded)
            : _ratio.ShouldSample(samplingParameters).Decision == SamplingDecision.RecordAndSample && WithinRate();
        return sampled ? Sampled : RecordedOnly;
    }

    private bool WithinRate()
    {
        if (maxTracesPerSecond <= 0)
        {
            return true;
        }

        var second = Environment.TickCount64 / 1000;
        lock (_gate)
        {
            if (second != _second)
            {
                (_second, _startedThisSecond) = (second, 0);
            }

            return ++_startedThisSecond <= maxTracesPerSecond;
        }
    }
}
