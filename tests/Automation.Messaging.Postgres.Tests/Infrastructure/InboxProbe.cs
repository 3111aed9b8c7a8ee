using System.Collections.Concurrent;
using Automation.Messaging.Postgres.Tests.Messages;
using MassTransit;

namespace Automation.Messaging.Postgres.Tests.Infrastructure;

/// <summary>What the consumer behind the inbox saw: how often its body ran per order, and whether the inbox's transaction
/// was open while it ran. Orders listed in <see cref="FailFirstAttempt"/> throw after writing and publishing, once; orders in
/// <see cref="WorkFor"/> keep the consumer busy that long (its inbox row locked) before it returns.</summary>
public sealed class InboxProbe
{
    public ConcurrentDictionary<Guid, int> Runs { get; } = new();

    public ConcurrentDictionary<Guid, int> Completions { get; } = new();

    public ConcurrentBag<bool> TransactionOpen { get; } = [];

    public ConcurrentDictionary<Guid, bool> FailFirstAttempt { get; } = new();

    public ConcurrentDictionary<Guid, TimeSpan> WorkFor { get; } = new();
}

/// <summary>Writes a row, publishes <see cref="OrderProcessed"/> through the scoped publish endpoint (which, inside a
/// consumer, must be the consume context's), and sends nothing else.</summary>
public sealed class ProcessOrderConsumer(TestDbContext dbContext, IPublishEndpoint publishEndpoint, InboxProbe probe) : IConsumer<ProcessOrder>
{
    public async Task Consume(ConsumeContext<ProcessOrder> context)
    {
        var orderId = context.Message.OrderId;
        probe.Runs.AddOrUpdate(orderId, 1, (_, runs) => runs + 1);
        probe.TransactionOpen.Add(dbContext.Database.CurrentTransaction is not null);
        dbContext.ConsumedRecords.Add(new ConsumedRecord { Id = Guid.NewGuid(), OrderId = orderId });
        await dbContext.SaveChangesAsync(context.CancellationToken);
        await publishEndpoint.Publish(new OrderProcessed(orderId), context.CancellationToken);
        if (probe.WorkFor.TryGetValue(orderId, out var work))
        {
            await Task.Delay(work, context.CancellationToken);
        }

        if (probe.FailFirstAttempt.TryRemove(orderId, out _))
        {
            throw new InvalidOperationException("The first attempt fails after writing and publishing");
        }

        probe.Completions.AddOrUpdate(orderId, 1, (_, runs) => runs + 1);
    }
}
