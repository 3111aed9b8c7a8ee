using System.ComponentModel.DataAnnotations;

namespace Automation.ServiceDefaults;

/// <summary>How much of the traces is kept: configuration section <c>Telemetry</c>.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>The share of traces exported, decided where a trace starts (the Ingress, for an event) and followed by
    /// every service the trace reaches. Spans that fail are exported whatever the ratio.</summary>
    [Range(0.0, 1.0, ErrorMessage = "must be 0 to 1: the share of traces exported (failed spans are always exported)")]
    public double TraceSampleRatio { get; set; } = 1.0;

    /// <summary>At most this many new traces a second are exported by each service instance (0: no limit), so that a busy
    /// system sends its trace viewer a steady trickle and a quiet one every trace. Failed spans are exported beyond it.
    /// 3: offered 75 events a second with export on, the six services on two cores completed 74 with this cap, 54 with 10
    /// (docs/benchmarks.md).</summary>
    [Range(0, 100_000, ErrorMessage = "must be 0 (no limit) to 100000: new traces exported per second by each instance")]
    public int MaxTracesPerSecond { get; set; } = 3;
}
