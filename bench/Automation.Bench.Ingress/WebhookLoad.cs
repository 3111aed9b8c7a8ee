using System.Diagnostics;

namespace Automation.Bench.Ingress;

/// <summary>Drives the Ingress: a closed loop at a fixed concurrency, or an open loop at a fixed rate.</summary>
public sealed class WebhookLoad(BenchOptions options, HttpClient client)
{
    private readonly SignedWebhooks _webhooks = new(options);

    public async Task<LoadResult> RunAsync()
    {
        await RunPhaseAsync(options.Warmup);
        var started = Stopwatch.GetTimestamp();
        var recorder = await RunPhaseAsync(options.Duration);
        var elapsed = Stopwatch.GetElapsedTime(started);
        return LoadResult.From(recorder, elapsed);
    }

    private Task<LatencyRecorder> RunPhaseAsync(TimeSpan length) =>
        options.Rate is { } rate ? OpenLoopAsync(rate, length) : ClosedLoopAsync(length);

    private async Task<LatencyRecorder> ClosedLoopAsync(TimeSpan length)
    {
        var end = Stopwatch.GetTimestamp() + (long)(length.TotalSeconds * Stopwatch.Frequency);
        var senders = Enumerable.Range(0, options.Concurrency).Select(async _ =>
        {
            var recorder = new LatencyRecorder();
            while (Stopwatch.GetTimestamp() < end)
            {
                await SendAsync(recorder, Stopwatch.GetTimestamp());
            }

            return recorder;
        });
        return LatencyRecorder.Merge(await Task.WhenAll(senders));
    }

    /// <summary>Requests leave on a fixed schedule whatever the answers do; each one's latency counts from its
    /// scheduled time, so time spent waiting for a free slot (the server falling behind) is counted, not hidden.</summary>
    private async Task<LatencyRecorder> OpenLoopAsync(double rate, TimeSpan length)
    {
        var recorder = new LatencyRecorder();
        var inFlight = new SemaphoreSlim(options.Concurrency);
        var pending = new List<Task>();
        var start = Stopwatch.GetTimestamp();
        var total = (long)(rate * length.TotalSeconds);
        var ticksPerRequest = Stopwatch.Frequency / rate;
        for (long sent = 0; sent < total;)
        {
            var now = Stopwatch.GetTimestamp();
            for (; sent < total && start + (long)(sent * ticksPerRequest) <= now; sent++)
            {
                var scheduled = start + (long)(sent * ticksPerRequest);
                await inFlight.WaitAsync();
                pending.Add(SendAndReleaseAsync(scheduled));
            }

            pending.RemoveAll(task => task.IsCompleted);
            await Task.Delay(1);
        }

        await Task.WhenAll(pending);
        return recorder;

        async Task SendAndReleaseAsync(long scheduled)
        {
            try
            {
                var own = new LatencyRecorder();
                await SendAsync(own, scheduled);
                lock (recorder)
                {
                    recorder.Latency.Add(own.Latency);
                    foreach (var (status, count) in own.Statuses)
                    {
                        recorder.Statuses[status] = recorder.Statuses.GetValueOrDefault(status) + count;
                    }

                    if (own.Failures > 0)
                    {
                        recorder.RecordFailure();
                    }
                }
            }
            finally
            {
                inFlight.Release();
            }
        }
    }

    private async Task SendAsync(LatencyRecorder recorder, long startedTimestamp)
    {
        using var request = _webhooks.Next();
        try
        {
            using var response = await client.SendAsync(request);
            await response.Content.CopyToAsync(Stream.Null);
            recorder.Record((int)response.StatusCode, startedTimestamp);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            recorder.RecordFailure();
        }
    }
}

public sealed record LoadResult(
    double DurationSeconds,
    double AcceptedPerSecond,
    double AnsweredPerSecond,
    IReadOnlyDictionary<string, long> Statuses,
    long Failures,
    LatencySummary Latency)
{
    public static LoadResult From(LatencyRecorder recorder, TimeSpan elapsed)
    {
        var seconds = elapsed.TotalSeconds;
        var answered = recorder.Statuses.Values.Sum();
        return new LoadResult(
            Math.Round(seconds, 2),
            Math.Round(recorder.Statuses.GetValueOrDefault(202) / seconds, 1),
            Math.Round(answered / seconds, 1),
            recorder.Statuses.OrderBy(entry => entry.Key).ToDictionary(entry => entry.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), entry => entry.Value),
            recorder.Failures,
            recorder.Summarize());
    }
}
