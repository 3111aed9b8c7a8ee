using System.Globalization;

namespace Automation.Bench.Ingress;

/// <summary>What to run, from <c>--name value</c> arguments. See <see cref="Usage"/>.</summary>
public sealed record BenchOptions(
    Uri Url,
    string Source,
    string Secret,
    int Concurrency,
    double? Rate,
    TimeSpan Duration,
    TimeSpan Warmup,
    double DuplicateShare,
    string? Postgres,
    TimeSpan RawDuration,
    string Output)
{
    public const string Usage = """
        Sends signed webhooks (hmac-sha256-hex, X-Signature) to a running Ingress and measures it; then measures the raw
        ceiling of the same PostgreSQL: single-row inserts into a table with a unique index, at the same concurrency.

          --url URL            the Ingress (default http://127.0.0.1:5080)
          --source ID          a configured hmac-sha256-hex source subscribed to survey.completed (default bench)
          --secret TEXT        its secret (required; bench/ingress.sh makes a random one for each run)
          --concurrency N      requests in flight: closed loop, each sender sends again when answered (default 64);
                               with --rate, the most requests in flight
          --rate R             open loop instead: R requests per second on a fixed schedule, latency measured from
                               each request's scheduled time (so a stall counts against every request it delays)
          --duration SECONDS   measured time (default 60)
          --warmup SECONDS     unmeasured time first (default 5)
          --duplicates SHARE   share of requests that repeat an earlier event id, 0 to 1 (default 0)
          --postgres CONN      PostgreSQL for the raw ceiling, e.g. Host=127.0.0.1;Port=55432;Username=postgres
                               (omit to skip it); a database automation_bench is created there
          --raw-duration SEC   measured time of the raw ceiling (default: --duration)
          --out FILE           where the JSON results go (default bench/results/ingress-<utc time>.json)
        """;

    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var index = 0; index < args.Length; index += 2)
        {
            if (!args[index].StartsWith("--", StringComparison.Ordinal) || index + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected --name value pairs, got '{args[index]}'.");
            }

            values[args[index][2..]] = args[index + 1];
        }

        string Text(string name, string fallback) => values.Remove(name, out var value) ? value : fallback;
        double Number(string name, double fallback) =>
            values.Remove(name, out var value) ? double.Parse(value, CultureInfo.InvariantCulture) : fallback;

        var duration = TimeSpan.FromSeconds(Number("duration", 60));
        var options = new BenchOptions(
            new Uri(Text("url", "http://127.0.0.1:5080")),
            Text("source", "bench"),
            values.Remove("secret", out var secret) ? secret : throw new ArgumentException("--secret is required: the source's secret."),
            (int)Number("concurrency", 64),
            values.ContainsKey("rate") ? Number("rate", 0) : null,
            duration,
            TimeSpan.FromSeconds(Number("warmup", 5)),
            Number("duplicates", 0),
            values.Remove("postgres", out var postgres) ? postgres : null,
            TimeSpan.FromSeconds(Number("raw-duration", duration.TotalSeconds)),
            Text("out", Path.Combine("bench", "results", $"ingress-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json")));
        if (values.Count > 0)
        {
            throw new ArgumentException($"Unknown option(s): {string.Join(", ", values.Keys.Select(key => "--" + key))}.");
        }

        if (options.Concurrency < 1 || options.Rate is <= 0 || options.Duration <= TimeSpan.Zero || options.DuplicateShare is < 0 or > 1)
        {
            throw new ArgumentException("--concurrency must be at least 1, --rate and --duration positive, --duplicates between 0 and 1.");
        }

        return options;
    }
}
