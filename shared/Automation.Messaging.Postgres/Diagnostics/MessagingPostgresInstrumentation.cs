using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Automation.Messaging.Postgres;

/// <summary>The library's traces and metrics. The names start with <c>Automation.</c>, so the service defaults' wildcard
/// subscription picks them up.</summary>
public static class MessagingPostgresInstrumentation
{
    public const string Name = "Automation.Messaging.Postgres";

    internal static readonly ActivitySource ActivitySource = new(Name);

    internal static readonly Meter Meter = new(Name);

    internal static readonly Counter<long> OutboxMessagesDelivered = Meter.CreateCounter<long>(
        "automation.outbox.messages.delivered", "{message}", "Bus outbox messages handed to the broker.");

    internal static readonly Counter<long> OutboxDeliveryFailures = Meter.CreateCounter<long>(
        "automation.outbox.delivery.failures", "{message}", "Bus outbox messages the broker did not take; they stay for the next pass.");

    internal static readonly Counter<long> InboxDuplicates = Meter.CreateCounter<long>(
        "automation.inbox.duplicates", "{message}", "Deliveries of a message its consumer had already consumed.");

    internal static readonly Counter<long> InboxRowsRemoved = Meter.CreateCounter<long>(
        "automation.inbox.cleanup.removed", "{row}", "Expired inbox rows deleted by the cleanup service.");
}
