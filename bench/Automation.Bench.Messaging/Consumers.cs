using Automation.Bench.Messaging.Messages;
using MassTransit;

namespace Automation.Bench.Messaging;

/// <summary>The counters every scenario reads, one per thing it waits for.</summary>
public sealed class BenchCounters
{
    public MessageCounter RawConsumed { get; } = new();

    public MessageCounter OutboxDelivered { get; } = new();

    public MessageCounter DeduplicatedCompleted { get; } = new();

    public MessageCounter RecordedCompleted { get; } = new();

    public MessageCounter InboxSavedCompleted { get; } = new();

    public MessageCounter WorkRecordedArrived { get; } = new();
}

public sealed class RawPingConsumer(BenchCounters counters) : IConsumer<RawPing>
{
    public Task Consume(ConsumeContext<RawPing> context)
    {
        counters.RawConsumed.Increment();
        return Task.CompletedTask;
    }
}

public sealed class RequestAcceptedConsumer(BenchCounters counters) : IConsumer<RequestAccepted>
{
    public Task Consume(ConsumeContext<RequestAccepted> context)
    {
        counters.OutboxDelivered.Increment();
        return Task.CompletedTask;
    }
}

public sealed class WorkRecordedConsumer(BenchCounters counters) : IConsumer<WorkRecorded>
{
    public Task Consume(ConsumeContext<WorkRecorded> context)
    {
        counters.WorkRecordedArrived.Increment();
        return Task.CompletedTask;
    }
}

/// <summary>Behind the inbox, does nothing itself: what is measured is the inbox's own cost (insert the row, mark it
/// consumed and delivered, commit).</summary>
public sealed class DeduplicatingConsumer : IConsumer<DeduplicatedWork>
{
    public Task Consume(ConsumeContext<DeduplicatedWork> context) => Task.CompletedTask;
}

/// <summary>Behind the inbox, what a connector does: writes its row (saving it, as EF code usually does) and publishes one
/// message through the scoped publish endpoint.</summary>
public sealed class RecordingConsumer(BenchDbContext dbContext, IPublishEndpoint publishEndpoint) : IConsumer<RecordedWork>
{
    public async Task Consume(ConsumeContext<RecordedWork> context)
    {
        dbContext.ConsumedWork.Add(new ConsumedWork { Id = NewId.NextGuid(), WorkId = context.Message.WorkId, Consumed = DateTime.UtcNow });
        await dbContext.SaveChangesAsync(context.CancellationToken);
        await publishEndpoint.Publish(new WorkRecorded(context.Message.WorkId), context.CancellationToken);
    }
}

/// <summary>The same work as <see cref="RecordingConsumer"/>, saved by the inbox's own write (which saves everything tracked
/// on the scoped DbContext), so the consumer's save costs no round trips of its own.</summary>
public sealed class InboxSavedConsumer(BenchDbContext dbContext, IPublishEndpoint publishEndpoint) : IConsumer<InboxSavedWork>
{
    public Task Consume(ConsumeContext<InboxSavedWork> context)
    {
        dbContext.ConsumedWork.Add(new ConsumedWork { Id = NewId.NextGuid(), WorkId = context.Message.WorkId, Consumed = DateTime.UtcNow });
        return publishEndpoint.Publish(new WorkRecorded(context.Message.WorkId), context.CancellationToken);
    }
}

/// <summary>Counts, per queue, the receives that completed (after the inbox committed, before the broker ack) and those that
/// faulted.</summary>
public sealed class CompletionObserver(IReadOnlyDictionary<string, MessageCounter> counters) : IReceiveObserver
{
    public Task PreReceive(ReceiveContext context) => Task.CompletedTask;

    public Task PostReceive(ReceiveContext context)
    {
        CounterOf(context)?.Increment();
        return Task.CompletedTask;
    }

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType)
        where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception)
        where T : class => Task.CompletedTask;

    public Task ReceiveFault(ReceiveContext context, Exception exception)
    {
        CounterOf(context)?.Fault();
        return Task.CompletedTask;
    }

    private MessageCounter? CounterOf(ReceiveContext context) =>
        counters.GetValueOrDefault(context.InputAddress.AbsolutePath.Split('/')[^1]);
}
