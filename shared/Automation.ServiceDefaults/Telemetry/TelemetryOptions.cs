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
}
