using System.Diagnostics;
using System.Runtime.InteropServices;
using Automation.Bench.Messaging;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception exception) when (exception is ArgumentException or FormatException)
{
    Console.Error.WriteLine(exception.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

#if DEBUG
const string build = "DEBUG build: figures are not comparable, run with -c Release";
Console.WriteLine(build);
#else
const string build = "Release build";
#endif

var startedAt = DateTimeOffset.UtcNow;
var measurements = new List<Measurement>();
var checks = new List<string>();
await using (var servers = await BenchServers.CreateAsync())
{
    Console.WriteLine($"Database and virtual host {servers.Name} (removed at the end); load average {string.Join(" ", ResourceMonitor.LoadAverage())}");
    // Ctrl+C or a kill still removes this run's database and virtual host.
    void Abandon(PosixSignalContext signal)
    {
        signal.Cancel = true;
        Console.Error.WriteLine($"Interrupted: removing {servers.Name}");
        servers.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Environment.Exit(130);
    }

    using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Abandon);
    using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Abandon);
    await BenchDbContext.CreateTablesAsync(servers.ConnectionString);
    using var monitor = new ResourceMonitor(servers.Name, servers.ConnectionString);
    for (var round = 1; round <= options.Rounds; round++)
    {
        var log = new MeasurementLog(monitor, round, servers.ConnectionString);
        Console.WriteLine($"Round {round} of {options.Rounds}");
        var watch = Stopwatch.StartNew();
        if (options.Scenarios.Contains("raw"))
        {
            await RawScenario.RunAsync(servers, options, log);
        }

        if (options.Scenarios.Contains("outbox"))
        {
            await OutboxScenario.RunAsync(servers, options, log);
        }

        if (options.Scenarios.Contains("inbox"))
        {
            await InboxScenario.RunAsync(servers, options, log);
        }

        Console.WriteLine($"  round took {watch.Elapsed.TotalSeconds:N0} s");
        measurements.AddRange(log.Measurements);
        checks.AddRange(log.Checks.Select(check => $"round {round}: {check}"));
    }
}

var report = new BenchReport(startedAt, MachineDescription(), build, options, measurements, checks);
report.Print(Console.Out);
await report.WriteAsync(options.Output);
Console.WriteLine($"Results written to {options.Output}");
return checks.Any(check => check.Contains("FAILED", StringComparison.Ordinal)) ? 1 : 0;

static string MachineDescription()
{
    var model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
    return $"{Environment.ProcessorCount} cores ({model ?? "unknown CPU"}), {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}";
}
