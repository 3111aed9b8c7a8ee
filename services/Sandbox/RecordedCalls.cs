using System.Collections.Concurrent;

namespace Automation.Sandbox;

/// <summary>One call an Automation connector made to a stand-in external API.</summary>
public sealed record RecordedCall(DateTimeOffset At, string Method, string Path, string? IdempotencyKey, string Body);

/// <summary>The calls the sandbox received, kept in memory so a newcomer (or a test) can see what the connectors did.</summary>
public sealed class RecordedCalls
{
    private readonly ConcurrentQueue<RecordedCall> _calls = new();

    public void Add(RecordedCall call) => _calls.Enqueue(call);

    public IReadOnlyCollection<RecordedCall> All => _calls.ToArray();
}
