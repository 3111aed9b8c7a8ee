using System.Collections.Concurrent;
using System.Diagnostics;
using Automation.Messaging.Postgres.Tests.Messages;
using MassTransit;

namespace Automation.Messaging.Postgres.Tests.Infrastructure;

public sealed record Received(object Message, Guid? MessageId, Guid? ConversationId, string? TestHeader, ActivityTraceId? TraceId);

/// <summary>Everything a receiving host consumed, in arrival order.</summary>
public sealed class ReceivedMessages
{
    private readonly ConcurrentQueue<Received> _received = new();

    public IReadOnlyList<Received> All => _received.ToArray();

    public IEnumerable<Received> Of<T>() => _received.Where(received => received.Message is T);

    public bool Saw(Marker marker) => Of<Marker>().Any(received => ((Marker)received.Message).Id == marker.Id);

    internal void Add(Received received) => _received.Enqueue(received);
}

public sealed class RecordingConsumer<T>(ReceivedMessages received) : IConsumer<T>
    where T : class
{
    public const string TestHeader = "X-Test";

    public Task Consume(ConsumeContext<T> context)
    {
        received.Add(new Received(context.Message, context.MessageId, context.ConversationId, context.Headers.Get<string>(TestHeader),
            Activity.Current?.TraceId));
        return Task.CompletedTask;
    }
}
