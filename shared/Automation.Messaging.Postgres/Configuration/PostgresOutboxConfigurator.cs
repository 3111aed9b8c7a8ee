using MassTransit;

namespace Automation.Messaging.Postgres;

/// <summary>Settings of <c>AddPostgresOutbox</c>: the consumer inbox/outbox and, with <see cref="UseBusOutbox"/>, the bus outbox.</summary>
public sealed class PostgresOutboxConfigurator
{
    /// <summary>How long an inbox row is kept after its message was delivered: a redelivery of the same MessageId within this
    /// window is recognised and skipped. Default 30 minutes.</summary>
    public TimeSpan DuplicateDetectionWindow { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The fallback poll of the delivery service (for outboxes committed without a signal, e.g. by a process that
    /// crashed) and the period of the inbox cleanup. Default 5 seconds.</summary>
    public TimeSpan QueryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Outboxes per delivery pass, and inbox rows per cleanup statement. Default 100.</summary>
    public int QueryMessageLimit { get; set; } = 100;

    /// <summary>Timeout of the delivery and cleanup statements. Default 30 seconds.</summary>
    public TimeSpan QueryTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How old a backlog measurement may be before <c>IOutboxBacklogMonitor</c> measures again. Default 1 second.</summary>
    public TimeSpan BacklogCacheDuration { get; set; } = TimeSpan.FromSeconds(1);

    internal bool InboxCleanupEnabled { get; private set; } = true;

    internal PostgresBusOutboxConfigurator? BusOutbox { get; private set; }

    /// <summary>Leave the inbox rows alone (e.g. another process cleans up).</summary>
    public void DisableInboxCleanupService() => InboxCleanupEnabled = false;

    /// <summary>Outside consumers, the scoped <c>IPublishEndpoint</c> and <c>ISendEndpointProvider</c> write to the
    /// DbContext; a background service delivers after commit.</summary>
    public void UseBusOutbox(Action<PostgresBusOutboxConfigurator>? configure = null)
    {
        BusOutbox = new PostgresBusOutboxConfigurator();
        configure?.Invoke(BusOutbox);
    }
}

public sealed class PostgresBusOutboxConfigurator
{
    /// <summary>Messages of one outbox sent per pass (the rest in the next pass, in order). Default 100.</summary>
    public int MessageDeliveryLimit { get; set; } = 100;

    /// <summary>Delivery passes one delivery service runs side by side, each on outboxes the others do not hold: while one
    /// pass's sends wait for the broker's confirmations, another's query or commit waits for the database. Default 2.</summary>
    public int DeliveryPasses { get; set; } = 2;

    /// <summary>Under load, how long after the last pass started a pass woken by a commit waits to start, so that the
    /// commits of those milliseconds share one pass's round trips (four, however many messages it holds) instead of a pass
    /// each. A commit after a quiet spell is delivered at once; a full pass is followed at once. Default 10 milliseconds;
    /// zero turns it off.</summary>
    public TimeSpan DeliveryGatherDelay { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>How long one send may wait for the broker before the pass gives up on that outbox. Default 10 seconds.</summary>
    public TimeSpan MessageDeliveryTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Applied to each send of a delivery pass after the stored message's own settings: e.g. a transport's flag
    /// that makes the broker refuse a message no queue would take, so that it stays in the outbox (and is sent by a later
    /// pass, in order) instead of being dropped. None by default.</summary>
    public Action<SendContext>? ConfigureSend { get; set; }

    /// <summary>How long the last delivery pass on shutdown may take for one receive endpoint (they stop side by side, the
    /// bus's own endpoint after the others: allow twice this in the host's stop timeout).</summary>
    public static TimeSpan FinalDeliveryTimeout { get; } = TimeSpan.FromSeconds(2);

    internal bool DeliveryServiceEnabled { get; private set; } = true;

    /// <summary>Store messages but leave delivery to another process (or, in tests, to a later host).</summary>
    public void DisableDeliveryService() => DeliveryServiceEnabled = false;
}
