using Automation.Messaging.Postgres;
using Microsoft.Extensions.Options;

namespace Automation.Ingress.Storage;

/// <summary>Whether the bus outbox may take new events: not while the broker has been away long enough for the
/// undelivered backlog to pass <see cref="OutboxLimitOptions"/>. The backlog is measured at most once a second by the
/// monitor, so asking on every request costs nothing; crossing the limit either way is logged once.</summary>
public sealed partial class OutboxAdmission(IOutboxBacklogMonitor backlog, IOptions<OutboxLimitOptions> limits, ILogger<OutboxAdmission> logger)
{
    private volatile bool _full;

    public async Task<bool> IsFullAsync(CancellationToken cancellationToken)
    {
        var waiting = await backlog.GetAsync(cancellationToken);
        var full = waiting.MessageCount >= limits.Value.MaxBacklog || waiting.OldestAge > limits.Value.MaxBacklogAge;
        if (full != _full)
        {
            _full = full;
            if (full)
            {
                LogFull(waiting.MessageCount, waiting.OldestAge);
            }
            else
            {
                LogAdmitting(waiting.MessageCount);
            }
        }

        return full;
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The outbox holds {MessageCount} undelivered messages, the oldest {OldestAge} old: new events are answered 503")]
    private partial void LogFull(long messageCount, TimeSpan oldestAge);

    [LoggerMessage(Level = LogLevel.Information, Message = "The outbox is back under its limit ({MessageCount} undelivered): new events are accepted again")]
    private partial void LogAdmitting(long messageCount);
}
