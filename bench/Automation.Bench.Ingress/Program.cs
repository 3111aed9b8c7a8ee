using Automation.Bench.Ingress;

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

var startedAt = DateTimeOffset.UtcNow;
using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Concurrency, UseCookies = false })
{
    Timeout = TimeSpan.FromSeconds(30),
};
var webhooks = await new WebhookLoad(options, client).RunAsync();
var raw = options.Postgres is { } postgres
    ? await RawInsertCeiling.RunAsync(postgres, options.Concurrency, options.Warmup, options.RawDuration, bodySize: 330)
    : null;

var report = new BenchReport(startedAt, $"{Environment.ProcessorCount} cores, {Environment.OSVersion}", options, webhooks, raw);
report.Print(Console.Out);
await report.WriteAsync(options.Output);
Console.WriteLine($"Results written to {options.Output}");
return 0;
