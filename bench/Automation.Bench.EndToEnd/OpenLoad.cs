using System.Diagnostics;

namespace Automation.Bench.EndToEnd;

/// <summary>Posts webhooks on a fixed schedule whatever the answers do (an open loop). Each event's time is its scheduled
/// time, so a send delayed by a full in-flight limit (the Ingress falling behind) counts in its latency.</summary>
public sealed class OpenLoad(E2eOptions options, HttpClient client, EventMix events, RunTracker tracker)
{
    private long _rejected;
    private long _failed;

    /// <summary>Answers other than 202 Accepted, and requests that got no answer.</summary>
    public (long Rejected, long Failed) Errors => (Interlocked.Read(ref _rejected), Interlocked.Read(ref _failed));

    public async Task RunAsync(double rate, TimeSpan length)
    {
        using var inFlight = new SemaphoreSlim(options.Concurrency);
        var pending = new List<Task>();
        var startUtc = DateTime.UtcNow;
        var start = Stopwatch.GetTimestamp();
        var total = (long)(rate * length.TotalSeconds);
        var ticksPerEvent = Stopwatch.Frequency / rate;
        for (long sent = 0; sent < total;)
        {
            var now = Stopwatch.GetTimestamp();
            for (; sent < total && start + (long)(sent * ticksPerEvent) <= now; sent++)
            {
                var scheduledAt = startUtc + Stopwatch.GetElapsedTime(start, start + (long)(sent * ticksPerEvent));
                await inFlight.WaitAsync();
                pending.Add(PostAsync(scheduledAt, inFlight));
            }

            pending.RemoveAll(task => task.IsCompleted);
            await Task.Delay(1);
        }

        await Task.WhenAll(pending);
    }

    private async Task PostAsync(DateTime scheduledAt, SemaphoreSlim inFlight)
    {
        try
        {
            var (eventId, request) = events.Next();
            using (request)
            {
                using var response = await client.SendAsync(request);
                await response.Content.CopyToAsync(Stream.Null);
                if ((int)response.StatusCode == 202)
                {
                    tracker.Accepted(eventId, scheduledAt);
                }
                else
                {
                    Interlocked.Increment(ref _rejected);
                }
            }
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            Interlocked.Increment(ref _failed);
        }
        finally
        {
            inFlight.Release();
        }
    }
}
