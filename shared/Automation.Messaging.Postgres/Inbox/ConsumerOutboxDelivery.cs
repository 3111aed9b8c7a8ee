using Microsoft.EntityFrameworkCore;

namespace Automation.Messaging.Postgres;

/// <summary>Who sends what a consumer behind the inbox of <typeparamref name="TDbContext"/> publishes or sends.</summary>
/// <param name="ByBusOutbox">True when the bus outbox is configured: the messages are committed as a bus outbox in the
/// consumer's transaction and its delivery service sends them in batches with everything else (one transaction per consumed
/// message). False: a second pass of the same receive sends them and marks the inbox row delivered (a second transaction
/// and a publish confirmation per message before the broker message is acknowledged).</param>
internal sealed record ConsumerOutboxDelivery<TDbContext>(bool ByBusOutbox)
    where TDbContext : DbContext;
