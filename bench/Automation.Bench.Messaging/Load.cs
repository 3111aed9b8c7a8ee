using System.Diagnostics;

namespace Automation.Bench.Messaging;

/// <summary>A closed loop: <c>concurrency</c> workers take the next index until <c>count</c> are done.</summary>
public static class Load
{
    /// <summary>Runs <paramref name="work"/> for indexes <paramref name="first"/> to first + count - 1; returns the
    /// timestamps of the start and of the last completion.</summary>
    public static async Task<(long Start, long End)> RunAsync(int first, int count, int concurrency, Func<int, Task> work)
    {
        var next = first - 1;
        var last = first + count - 1;
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, Math.Min(concurrency, count)).Select(_ => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) <= last)
            {
                await work(index);
            }
        })));
        return (start, Stopwatch.GetTimestamp());
    }

    public static double Seconds(long start, long end) => Stopwatch.GetElapsedTime(start, end).TotalSeconds;
}
