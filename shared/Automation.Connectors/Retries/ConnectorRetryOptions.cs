using System.ComponentModel.DataAnnotations;

namespace Automation.Connectors;

/// <summary>How a connector's step messages are retried when a call fails transiently. Configuration section
/// <c>Connector:Retry</c>. What is left after both stages faults: the message goes to the error queue and the run
/// compensates. Each delivery spends the immediate retries, so a step that keeps failing is called (1 + immediate) × (1 + redeliveries)
/// times: 12 by default, over about 1.5 minutes of waits plus the calls themselves (up to 12 × the HTTP timeout against a
/// system that hangs: about 3.5 minutes in all). The orchestrator's step timeout must be longer.</summary>
public sealed class ConnectorRetryOptions : IValidatableObject
{
    public const string SectionName = "Connector:Retry";

    // The intervals have no initial values: the configuration binder appends to an array it finds filled.

    /// <summary>Retries in the same delivery, for blips. Default 200 ms, then 1 s.</summary>
    public TimeSpan[]? Immediate { get; set; }

    /// <summary>Delayed redeliveries through the service's durable scheduler, each after the whole immediate stage failed,
    /// backing off. Default 5, 20 and 60 seconds. A <c>Retry-After</c> longer than the next interval is honoured instead.</summary>
    public TimeSpan[]? Redelivery { get; set; }

    /// <summary>The longest <c>Retry-After</c> honoured; a system asking for more is retried after this. Default 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan[] ImmediateIntervals => Immediate ?? [TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1)];

    public TimeSpan[] RedeliveryIntervals => Redelivery ?? [TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(60)];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ImmediateIntervals.Any(interval => interval < TimeSpan.Zero))
        {
            yield return new ValidationResult("intervals must not be negative", [nameof(Immediate)]);
        }

        if (RedeliveryIntervals.Any(interval => interval <= TimeSpan.Zero))
        {
            yield return new ValidationResult("intervals must be positive", [nameof(Redelivery)]);
        }
    }
}
