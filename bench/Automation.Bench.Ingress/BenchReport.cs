using System.Globalization;
using System.Text.Json;

namespace Automation.Bench.Ingress;

/// <summary>One run's figures, printed and written as JSON.</summary>
public sealed record BenchReport(
    DateTimeOffset StartedAt,
    string Machine,
    BenchOptions Options,
    LoadResult Webhooks,
    RawInsertResult? RawInserts)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Accepted webhooks per second as a share of raw inserts per second (target: at least 0.25).</summary>
    public double? AcceptedShareOfRawInserts => RawInserts is { InsertsPerSecond: > 0 } raw
        ? Math.Round(Webhooks.AcceptedPerSecond / raw.InsertsPerSecond, 3)
        : null;

    public async Task WriteAsync(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await using var file = File.Create(path);
        var postgres = Options.Postgres is null ? null : new Npgsql.NpgsqlConnectionStringBuilder(Options.Postgres) { Password = null }.ConnectionString;
        await JsonSerializer.SerializeAsync(file, this with { Options = Options with { Secret = "(not recorded)", Postgres = postgres } }, Json);
    }

    public void Print(TextWriter output)
    {
        var mode = Options.Rate is { } rate
            ? string.Create(CultureInfo.InvariantCulture, $"open loop at {rate} req/s (at most {Options.Concurrency} in flight)")
            : string.Create(CultureInfo.InvariantCulture, $"closed loop, {Options.Concurrency} in flight");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Ingress {Options.Url} source {Options.Source}: {mode}, {Webhooks.DurationSeconds} s, {Options.DuplicateShare:P0} duplicates"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  accepted/s {Webhooks.AcceptedPerSecond}   answered/s {Webhooks.AnsweredPerSecond}   no answer {Webhooks.Failures}"));
        output.WriteLine($"  statuses   {string.Join("  ", Webhooks.Statuses.Select(entry => $"{entry.Key}: {entry.Value}"))}");
        Latency("  latency   ", Webhooks.Latency);
        if (RawInserts is { } raw)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Raw single-row inserts, same PostgreSQL, {Options.Concurrency} connections, {raw.DurationSeconds} s: {raw.InsertsPerSecond}/s"));
            Latency("  latency   ", raw.Latency);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Accepted webhooks / raw inserts: {AcceptedShareOfRawInserts:P1}"));
        }

        void Latency(string label, LatencySummary latency) => output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label} p50 {latency.P50Ms} ms   p90 {latency.P90Ms} ms   p99 {latency.P99Ms} ms   max {latency.MaxMs} ms   ({latency.Count} samples)"));
    }
}
