namespace Automation.Messaging.Postgres;

/// <summary>What the bus outbox still has to deliver: the number of waiting messages and how long the oldest outbox has
/// waited (zero when empty).</summary>
public sealed record OutboxBacklog(long MessageCount, TimeSpan OldestAge, DateTimeOffset MeasuredAt)
{
    public static OutboxBacklog Empty(DateTimeOffset measuredAt) => new(0, TimeSpan.Zero, measuredAt);
}

/// <summary>Reads the undelivered backlog of the bus outbox, e.g. so a web endpoint can answer 503 while the broker has been
/// gone long enough for the backlog to pass a limit. Answers from a snapshot at most
/// <see cref="Configuration.PostgresOutboxConfigurator.BacklogCacheDuration"/> old, so it is cheap to ask on every request.</summary>
public interface IOutboxBacklogMonitor
{
    Task<OutboxBacklog> GetAsync(CancellationToken cancellationToken);

    /// <summary>The last measurement, or null before the first.</summary>
    OutboxBacklog? Last { get; }
}
