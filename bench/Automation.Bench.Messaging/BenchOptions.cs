using System.Globalization;

namespace Automation.Bench.Messaging;

/// <summary>What to run, from <c>--name value</c> arguments. See <see cref="Usage"/>.</summary>
public sealed record BenchOptions(
    int Messages,
    int Warmup,
    int Concurrency,
    int Prefetch,
    int Rounds,
    IReadOnlySet<string> Scenarios,
    string Output)
{
    public static readonly IReadOnlyList<string> AllScenarios = ["raw", "outbox", "inbox"];

    public const string Usage = """
        Measures the PostgreSQL bus outbox and consumer inbox beside raw MassTransit publish/consume, on the local RabbitMQ
        and PostgreSQL (AUTOMATION_POSTGRES / AUTOMATION_RABBITMQ / AUTOMATION_RABBITMQ_MANAGEMENT, else
        $AUTOMATION_STATE_DIR/infra.env, else .local/infra.env). Each run creates its own database and virtual host and
        removes them at the end.

          --messages N      measured messages per scenario (default 10000)
          --warmup N        unmeasured messages before each scenario (default 1000)
          --concurrency N   requests (raw publishes, outbox commits) in flight (default 64)
          --prefetch N      prefetch and concurrent-message limit of every consumer endpoint (default: the services'
                            inbox endpoints' setting, InboxEndpointDefaults.PrefetchCount = 32)
          --rounds N        run every scenario N times in a row (default 1)
          --only LIST       comma-separated subset of: raw, outbox, inbox (default all; the ratios need raw)
          --out FILE        where the JSON results go (default bench/results/messaging-<utc time>.json)
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

        int Number(string name, int fallback) =>
            values.Remove(name, out var value) ? int.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture) : fallback;

        var options = new BenchOptions(
            Number("messages", 10_000),
            Number("warmup", 1_000),
            Number("concurrency", 64),
            Number("prefetch", Automation.Hosting.InboxEndpointDefaults.PrefetchCount),
            Number("rounds", 1),
            values.Remove("only", out var only)
                ? only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal)
                : AllScenarios.ToHashSet(StringComparer.Ordinal),
            values.Remove("out", out var output) ? output : Path.Combine("bench", "results", $"messaging-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json"));
        if (values.Count > 0)
        {
            throw new ArgumentException($"Unknown option(s): {string.Join(", ", values.Keys.Select(key => "--" + key))}.");
        }

        if (options.Messages < 1 || options.Warmup < 0 || options.Concurrency < 1 || options.Prefetch is < 1 or > ushort.MaxValue || options.Rounds < 1)
        {
            throw new ArgumentException("--messages, --concurrency, --prefetch and --rounds must be at least 1, --warmup at least 0.");
        }

        if (options.Scenarios.Except(AllScenarios).FirstOrDefault() is { } unknown)
        {
            throw new ArgumentException($"Unknown scenario '{unknown}' in --only.");
        }

        return options;
    }
}
