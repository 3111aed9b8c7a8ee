using System.Collections.Concurrent;
using MassTransit;

namespace Automation.Messaging.Postgres.Tests.Sagas;

/// <summary>Every <see cref="ChangeApplied"/> that reached the broker and its subscriber.</summary>
public sealed class AppliedChanges
{
    private readonly ConcurrentQueue<ChangeApplied> _changes = new();

    public IReadOnlyList<ChangeApplied> Of(Guid changeMessageId) =>
        _changes.Where(change => change.ChangeMessageId == changeMessageId).ToList();

    public void Add(ChangeApplied change) => _changes.Enqueue(change);
}

public sealed class ChangeAppliedRecorder(AppliedChanges changes) : IConsumer<ChangeApplied>
{
    public Task Consume(ConsumeContext<ChangeApplied> context)
    {
        changes.Add(context.Message);
        return Task.CompletedTask;
    }
}
