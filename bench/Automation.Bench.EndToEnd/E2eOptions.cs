using System.Globalization;

namespace Automation.Bench.EndToEnd;

/// <summary>What to run, from <c>--name value</c> arguments. See <see cref="Usage"/>.</summary>
public sealed record E2eOptions(
    Uri Url,
    string Source,
    string Secret,
    string Postgres,
    TimeSpan Warmup,
    double FixedRate,
    TimeSpan FixedDuration,
    IReadOnlyList<double> Rates,
    TimeSpan StepDuration,
    TimeSpan DrainTimeout,
    int Concurrency,
    string Label,
    string Output)
{
    public const string Usage = """
        Drives the whole system through the Ingress and measures, from each webhook POST to its run's Completed state in
        the Orchestrator's runs table (polled in batches), the latency at a fixed rate and the highest rate held for a step.

          --url URL              the Ingress (required)
          --source NAME          the webhook source (default demo)
          --secret SECRET        its hmac-sha256-hex secret (required)
          --postgres CS          connection string of the database the Orchestrator writes (required)
          --warmup S             seconds at 50 events/s first, not measured (default 20)
          --fixed-rate R         events/s of the latency phase (default 150)
          --fixed-duration S     its length (default 60)
          --rates LIST           comma-separated events/s of the steps, tried in order until one does not hold
                                 (default 100,200,300,400,500,600)
          --step-duration S      each step's length (default 60)
          --drain-timeout S      how long a phase's backlog may take to drain before the next (default 180)
          --concurrency N        requests in flight at most (default 256)
          --label TEXT           names this run in the output (e.g. otlp-off)
          --out FILE             where the JSON results go
        """;

    public static E2eOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected --name value pairs, got '{args[i]}'");
            }

            values[args[i][2..]] = args[i + 1];
        }

        string Required(string name) => values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required");
        string Optional(string name, string fallback) => values.GetValueOrDefault(name, fallback);
        double Number(string name, double fallback) => double.Parse(Optional(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        TimeSpan Seconds(string name, double fallback) => TimeSpan.FromSeconds(Number(name, fallback));

        var known = new[] { "url", "source", "secret", "postgres", "warmup", "fixed-rate", "fixed-duration", "rates", "step-duration", "drain-timeout", "concurrency", "label", "out" };
        if (values.Keys.FirstOrDefault(key => !known.Contains(key)) is { } unknown)
        {
            throw new ArgumentException($"Unknown option --{unknown}");
        }

        var rates = Optional("rates", "100,200,300,400,500,600").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(rate => double.Parse(rate, CultureInfo.InvariantCulture)).ToList();
        var label = Optional("label", "run");
        return new E2eOptions(new Uri(Required("url")), Optional("source", "demo"), Required("secret"), Required("postgres"),
            Seconds("warmup", 20), Number("fixed-rate", 150), Seconds("fixed-duration", 60), rates, Seconds("step-duration", 60),
            Seconds("drain-timeout", 180), (int)Number("concurrency", 256), label,
            Optional("out", $"bench/results/e2e-{label}-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json"));
    }
}
