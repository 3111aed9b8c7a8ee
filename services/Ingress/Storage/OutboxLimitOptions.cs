using System.ComponentModel.DataAnnotations;

namespace Automation.Ingress.Storage;

/// <summary>How much undelivered work the bus outbox may hold before new events are refused with 503: while the broker
/// is away, accepted events wait in PostgreSQL; past these limits the Ingress stops promising more. Configuration
/// section <c>Ingress:Outbox</c>.</summary>
public sealed class OutboxLimitOptions
{
    public const string SectionName = "Ingress:Outbox";

    /// <summary>Most undelivered messages. Default 100,000.</summary>
    [Range(1, long.MaxValue)]
    public long MaxBacklog { get; set; } = 100_000;

    /// <summary>Longest an undelivered message may have waited. Default 15 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan MaxBacklogAge { get; set; } = TimeSpan.FromMinutes(15);
}
