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
    private readonly PerSecondBudget _newTraces = new(maxTracesPerSecond);

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        var parent = samplingParameters.ParentContext;
        var sampled = parent.TraceId != default
            ? parent.TraceFlags.HasFlag(ActivityTraceFlags.Recorded)
            : _ratio.ShouldSample(samplingParameters).Decision == SamplingDecision.RecordAndSample && _newTraces.TryTake();
        return sampled ? Sampled : RecordedOnly;
    }
}
