namespace Automation.Bench.Messaging;

/// <summary>One figure of one round: <paramref name="Messages"/> measured messages in <paramref name="Seconds"/>.</summary>
public sealed record Measurement(int Round, string Key, string Figure, long Messages, double Seconds, ResourceUse Resources, string? Note = null)
{
    public double PerSecond => Math.Round(Messages / Seconds, 0);
}

/// <summary>Collects a round's figures and samples around them.</summary>
public sealed class MeasurementLog(ResourceMonitor monitor, int round, string connectionString)
{
    public int Round => round;

    public List<Measurement> Measurements { get; } = [];

    public List<string> Checks { get; } = [];

    public Task<ResourceSample> SampleAsync() => monitor.SampleAsync();

    public Measurement Add(string key, string figure, long messages, double seconds, ResourceSample start, ResourceSample end, string? note = null)
    {
        var measurement = new Measurement(round, key, figure, messages, seconds, ResourceUse.Between(start, end, messages), note);
        Measurements.Add(measurement);
        Console.WriteLine($"  {figure}: {measurement.PerSecond:N0} msgs/s ({messages:N0} in {seconds:N2} s){(note is null ? "" : "; " + note)}");
        return measurement;
    }

    public async Task<long> CountAsync(string table, string? where = null)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand($"SELECT count(*) FROM {BenchDbContext.Schema}.{table}{(where is null ? "" : " WHERE " + where)}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task CheckTableEmptyAsync(string table, string what) => Check(await CountAsync(table) == 0, what);

    public void Check(bool passed, string what)
    {
        var line = $"{(passed ? "ok" : "FAILED")}: {what}";
        Checks.Add(line);
        if (!passed)
        {
            Console.WriteLine("  " + line);
        }
    }
}
