using System.Diagnostics;

namespace Automation.Bench.Messaging;

/// <summary>Counts arrivals and notes the <see cref="Stopwatch.GetTimestamp"/> at which the count passed a mark (e.g. the end
/// of the warm-up, the end of the measured messages).</summary>
public sealed class MessageCounter
{
    private readonly Lock _marks = new();
    private readonly List<(long Count, TaskCompletionSource<long> Reached)> _waiting = [];
    private long _count;
    private long _faults;
    private long _nextMark = long.MaxValue;

    public long Count => Interlocked.Read(ref _count);

    public long Faults => Interlocked.Read(ref _faults);

    /// <summary>Completes with the timestamp at which the count reached <paramref name="count"/>.</summary>
    public Task<long> WhenReached(long count)
    {
        var reached = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_marks)
        {
            _waiting.Add((count, reached));
            Volatile.Write(ref _nextMark, _waiting.Min(mark => mark.Count));
        }

        Release(Count, Stopwatch.GetTimestamp());
        return reached.Task;
    }

    public void Increment()
    {
        var count = Interlocked.Increment(ref _count);
        if (count >= Volatile.Read(ref _nextMark))
        {
            Release(count, Stopwatch.GetTimestamp());
        }
    }

    public void Fault() => Interlocked.Increment(ref _faults);

    private void Release(long count, long timestamp)
    {
        lock (_marks)
        {
            _waiting.RemoveAll(mark => mark.Count <= count && mark.Reached.TrySetResult(timestamp));
            Volatile.Write(ref _nextMark, _waiting.Count == 0 ? long.MaxValue : _waiting.Min(mark => mark.Count));
        }
    }
}
