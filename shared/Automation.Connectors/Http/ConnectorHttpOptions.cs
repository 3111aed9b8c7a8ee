using System.ComponentModel.DataAnnotations;

namespace Automation.Connectors;

/// <summary>How a connector calls an external system. Configuration section <c>Connector:Http</c>; the same for every
/// external system of the service, each with its own circuit breaker and concurrency limit. There is no retry here:
/// retries are the message's (immediate, then delayed redelivery), so one failure is never retried twice over.</summary>
public sealed class ConnectorHttpOptions
{
    public const string SectionName = "Connector:Http";

    /// <summary>How long one call may take before it counts as failed (and transient). Default 10 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Calls in flight to one external system at once; more wait in line (<see cref="CallsWaitingAtMost"/>). Default 16.</summary>
    [Range(1, 1024)]
    public int ConcurrencyLimit { get; set; } = 16;

    /// <summary>Calls that may wait for a place under <see cref="ConcurrencyLimit"/>. Generous on purpose: the consumers'
    /// prefetch already bounds how many messages can wait, and a call turned away fails its step transiently, i.e. into
    /// retries and 5–60 s redeliveries. With "as many again" (32 places for two endpoints of 32 messages each, a note
    /// making two calls) most steps under load were turned away: runs took 30–100 s (docs/benchmarks.md, end to end).</summary>
    public const int CallsWaitingAtMost = 4096;

    /// <summary>Share of failed calls (5xx, 408, 429, timeouts, refused connections) over <see cref="SamplingDuration"/>
    /// that opens the circuit: calls then fail at once, as transient, for <see cref="BreakDuration"/>. Default 0.5.</summary>
    [Range(0.01, 1.0)]
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Calls in <see cref="SamplingDuration"/> before the circuit may open. Default 10.</summary>
    [Range(2, 10_000)]
    public int MinimumThroughput { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);
}
