using System.Diagnostics;
using OpenTelemetry.Trace;

namespace Automation.ServiceDefaults;

/// <summary>Samples whole traces at a ratio, decided once where a trace starts (by its trace id) and followed by every span
/// of it, also across services; a span of a trace not sampled is still recorded (not exported), so that
/// <see cref="ExportFailedSpansProcessor"/> can export it if it fails.</summary>
public sealed class SampleOrRecordSampler(double ratio) : Sampler
{
    private static readonly SamplingResult Sampled = new(SamplingDecision.RecordAndSample);
    private static readonly SamplingResult RecordedOnly = new(SamplingDecision.RecordOnly);
    private readonly TraceIdRatioBasedSampler _root = new(ratio);

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        var parent = samplingParameters.ParentContext;
        var sampled = parent.TraceId != default
            ? parent.TraceFlags.HasFlag(ActivityTraceFlags.Recorded)
            : _root.ShouldSample(samplingParameters).Decision == SamplingDecision.RecordAndSample;
        return sampled ? Sampled : RecordedOnly;
    }
}
