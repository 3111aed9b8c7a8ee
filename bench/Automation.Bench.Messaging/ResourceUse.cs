using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Npgsql;

namespace Automation.Bench.Messaging;

/// <summary>What the machine was doing at one moment: the load average, CPU time used so far by this process, by the
/// PostgreSQL backends serving this run's database and by the RabbitMQ node (shared with everyone on the machine), this
/// database's committed transactions and the commands Npgsql sent.</summary>
public sealed record ResourceSample(
    long Timestamp,
    double[] LoadAverage,
    TimeSpan ProcessCpu,
    TimeSpan PostgresCpu,
    TimeSpan RabbitMqCpu,
    long Transactions,
    long DatabaseCommands);

/// <summary>Resources spent between two samples, per measured message.</summary>
public sealed record ResourceUse(
    double LoadAverageAtStart,
    double LoadAverageAtEnd,
    double BenchCpuMicrosecondsPerMessage,
    double PostgresCpuMicrosecondsPerMessage,
    double RabbitMqCpuMicrosecondsPerMessage,
    double TransactionsPerMessage,
    double DatabaseCommandsPerMessage)
{
    public static ResourceUse Between(ResourceSample start, ResourceSample end, long messages)
    {
        double PerMessage(double total) => Math.Round(total / messages, 2);
        return new ResourceUse(
            start.LoadAverage[0],
            end.LoadAverage[0],
            PerMessage((end.ProcessCpu - start.ProcessCpu).TotalMicroseconds),
            PerMessage((end.PostgresCpu - start.PostgresCpu).TotalMicroseconds),
            PerMessage((end.RabbitMqCpu - start.RabbitMqCpu).TotalMicroseconds),
            PerMessage(end.Transactions - start.Transactions),
            PerMessage(end.DatabaseCommands - start.DatabaseCommands));
    }
}

public sealed class ResourceMonitor : IDisposable
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux
    private readonly string _database;
    private readonly string _connectionString;
    private readonly MeterListener _listener = new();
    private long _databaseCommands;

    public ResourceMonitor(string database, string connectionString)
    {
        _database = database;
        _connectionString = connectionString;
        // Npgsql records one operation per command or batch sent: round trips, less commits and connection resets.
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Npgsql" && instrument.Name == "db.client.operation.duration")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref _databaseCommands));
        _listener.Start();
    }

    public static double[] LoadAverage() =>
        File.ReadAllText("/proc/loadavg").Split(' ').Take(3).Select(value => double.Parse(value, CultureInfo.InvariantCulture)).ToArray();

    public async Task<ResourceSample> SampleAsync()
    {
        // The transaction counter lives in the statistics collector: ask through a connection outside the measured pool.
        var transactions = 0L;
        await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_connectionString) { Pooling = false }.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT pg_stat_clear_snapshot(); SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()", connection);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.NextResultAsync();
            if (await reader.ReadAsync())
            {
                transactions = reader.GetInt64(0);
            }
        }

        var (postgres, rabbitMq) = ServerCpu();
        return new ResourceSample(Stopwatch.GetTimestamp(), LoadAverage(), Process.GetCurrentProcess().TotalProcessorTime, postgres, rabbitMq,
            transactions, Interlocked.Read(ref _databaseCommands));
    }

    /// <summary>PostgreSQL backends show their database in their process title; the RabbitMQ node is one Erlang VM.</summary>
    private (TimeSpan Postgres, TimeSpan RabbitMq) ServerCpu()
    {
        double postgres = 0, rabbitMq = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out _))
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (commandLine.StartsWith("postgres: ", StringComparison.Ordinal) && commandLine.Contains($" {_database} ", StringComparison.Ordinal))
                {
                    postgres += CpuSeconds(dir);
                }
                else if (commandLine.Contains("beam.smp", StringComparison.Ordinal) && commandLine.Contains("rabbit", StringComparison.Ordinal))
                {
                    rabbitMq += CpuSeconds(dir);
                }
            }
            catch (IOException)
            {
                // The process ended while being read.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return (TimeSpan.FromSeconds(postgres), TimeSpan.FromSeconds(rabbitMq));
    }

    private static double CpuSeconds(string processDir)
    {
        var stat = File.ReadAllText(Path.Combine(processDir, "stat"));
        // Fields after the command name (which may hold spaces) start at state: utime and stime are the 12th and 13th.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    public void Dispose() => _listener.Dispose();
}
