using System.Diagnostics;
using System.Text.Json;
using Automation.Bench.EndToEnd;

E2eOptions options;
try
{
    options = E2eOptions.Parse(args);
}
catch (Exception exception) when (exception is ArgumentException or FormatException)
{
    Console.Error.WriteLine(exception.Message);
    Console.Error.WriteLine(E2eOptions.Usage);
    return 2;
}

#if DEBUG
Console.WriteLine("DEBUG build: figures are not comparable, run with -c Release");
#endif

using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
{
    Timeout = TimeSpan.FromSeconds(30),
};
await using var tracker = new RunTracker(options.Postgres, options.Source);
tracker.Start();
var load = new OpenLoad(options, client, new EventMix(options), tracker);
var results = new List<PhaseResult>();

Console.WriteLine($"[{options.Label}] warm-up: 50 events/s for {options.Warmup.TotalSeconds:0} s (not measured)");
await load.RunAsync(50, options.Warmup);
await DrainAsync();

results.Add(await PhaseAsync("fixed", options.FixedRate, options.FixedDuration));
double? sustained = null;
foreach (var rate in options.Rates)
{
    var step = await PhaseAsync($"step {rate:0}", rate, options.StepDuration);
    results.Add(step);
    if (!step.Held)
    {
        break;
    }

    sustained = rate;
}

var fixedPhase = results[0];
Console.WriteLine($"[{options.Label}] at {fixedPhase.OfferedPerSecond:0} events/s: {fixedPhase.CompletedPerSecond:0.0} completed/s, " +
    $"end-to-end p50 {fixedPhase.P50Ms} ms, p99 {fixedPhase.P99Ms} ms ({EventMix.StepsPerEvent} steps per event on average)");
Console.WriteLine($"[{options.Label}] highest rate held for {options.StepDuration.TotalSeconds:0} s: " +
    (sustained is { } held ? $"{held:0} events/s" : "none of the steps"));
Console.WriteLine($"[{options.Label}] events accepted in all (warm-up included): {tracker.Take().Accepted.Count}");
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.Output))!);
await File.WriteAllTextAsync(options.Output, JsonSerializer.Serialize(new
{
    options.Label,
    StartedAt = DateTime.UtcNow,
    LoadAverage = File.Exists("/proc/loadavg") ? (await File.ReadAllTextAsync("/proc/loadavg")).Trim() : null,
    SustainedPerSecond = sustained,
    Phases = results,
    Errors = new { load.Errors.Rejected, load.Errors.Failed },
}, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
Console.WriteLine($"[{options.Label}] results: {options.Output}");
return 0;

async Task<PhaseResult> PhaseAsync(string name, double rate, TimeSpan length)
{
    var rejectedBefore = load.Errors.Rejected + load.Errors.Failed;
    var start = DateTime.UtcNow;
    await load.RunAsync(rate, length);
    var end = DateTime.UtcNow;
    await DrainAsync();
    var result = PhaseResult.From(name, rate, start, end, tracker.Take(), load.Errors.Rejected + load.Errors.Failed - rejectedBefore, tracker.Pending);
    Console.WriteLine($"[{options.Label}] {result}");
    return result;
}

async Task DrainAsync()
{
    var watch = Stopwatch.StartNew();
    while (tracker.Pending > 0 && watch.Elapsed < options.DrainTimeout)
    {
        await Task.Delay(RunTracker.PollInterval);
    }

    // One more poll, so the last runs' end times are in.
    await Task.Delay(RunTracker.PollInterval * 2);
    if (tracker.Pending > 0)
    {
        Console.WriteLine($"[{options.Label}] {tracker.Pending} runs still pending after {options.DrainTimeout.TotalSeconds:0} s of draining");
    }
}
