using System.Globalization;
using System.Text.Json;

namespace Automation.Bench.Messaging;

/// <summary>A ratio the issue sets a target for (or that explains one), computed per round.</summary>
public sealed record Ratio(int Round, string What, double Value, string Target);

/// <summary>One run's figures, printed as a table and written as JSON.</summary>
public sealed record BenchReport(
    DateTimeOffset StartedAt,
    string Machine,
    string Build,
    BenchOptions Options,
    IReadOnlyList<Measurement> Measurements,
    IReadOnlyList<string> Checks)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public IReadOnlyList<Ratio> Ratios => Measurements.GroupBy(measurement => measurement.Round).SelectMany(RoundRatios).ToList();

    private static IEnumerable<Ratio> RoundRatios(IGrouping<int, Measurement> round)
    {
        var figures = round.ToDictionary(measurement => measurement.Key, measurement => measurement.PerSecond);
        Ratio? Of(string what, string numerator, string denominator, string target) =>
            figures.TryGetValue(numerator, out var top) && figures.TryGetValue(denominator, out var bottom) && bottom > 0
                ? new Ratio(round.Key, what, Math.Round(top / bottom, 3), target)
                : null;

        return new[]
        {
            Of("outbox delivered (backlog drain) / raw publish", "outbox-delivered-drain", "raw-publish", ">= 0.5"),
            Of("outbox delivered (live, end to end) / raw publish", "outbox-delivered-live", "raw-publish", ">= 0.5"),
            Of("outbox committed (delivery running) / raw publish", "outbox-committed", "raw-publish", "-"),
            Of("inbox (a) deduplicate only / raw consume", "inbox-deduplicate", "raw-consume", "-"),
            Of("inbox (b) row + publish / raw consume", "inbox-record-publish", "raw-consume", "-"),
            Of("inbox (c) row + publish, inbox saves / raw consume", "inbox-record-publish-inbox-saves", "raw-consume", "-"),
        }.OfType<Ratio>();
    }

    public async Task WriteAsync(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, new { Report = this, Ratios }, Json);
    }

    public void Print(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"{Machine}; {Build}; started {StartedAt:yyyy-MM-dd HH:mm} UTC");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Options.Messages:N0} measured messages per figure after {Options.Warmup:N0} warm-up; {Options.Concurrency} requests in flight; consumer prefetch/concurrency {Options.Prefetch}"));
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{"round",-5} {"figure",-44} {"msgs/s",8} {"load",5} {"µs cpu/msg: bench",18} {"pg",6} {"rabbit",7} {"tx/msg",7} {"cmds/msg",8}"));
        foreach (var m in Measurements)
        {
            var r = m.Resources;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{m.Round,-5} {m.Figure,-44} {m.PerSecond,8:N0} {r.LoadAverageAtStart,5:N1} {r.BenchCpuMicrosecondsPerMessage,18:N0} {r.PostgresCpuMicrosecondsPerMessage,6:N0} {r.RabbitMqCpuMicrosecondsPerMessage,7:N0} {r.TransactionsPerMessage,7:N2} {r.DatabaseCommandsPerMessage,8:N2}"));
        }

        output.WriteLine();
        foreach (var ratio in Ratios)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {ratio.Round}: {ratio.What,-52} {ratio.Value,6:P1}   target {ratio.Target}"));
        }

        output.WriteLine();
        foreach (var check in Checks)
        {
            output.WriteLine(check);
        }
    }
}
