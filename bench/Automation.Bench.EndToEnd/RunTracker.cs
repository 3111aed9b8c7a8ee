using Npgsql;

namespace Automation.Bench.EndToEnd;

/// <summary>Every accepted event with its POST time, and when its run ended, read from the Orchestrator's runs table:
/// every <see cref="PollInterval"/>, the oldest pending events (at most <see cref="BatchSize"/>) in one query by event id.
/// The end time is the run's own <c>finished_at</c>, so the polling interval adds nothing to a latency.</summary>
public sealed class RunTracker(string connectionString, string source) : IAsyncDisposable
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);
    private const int BatchSize = 10_000;

    private readonly Dictionary<string, DateTime> _pending = new(StringComparer.Ordinal);
    private readonly List<DateTime> _accepted = [];
    private readonly List<Ended> _ended = [];
    private readonly CancellationTokenSource _stop = new();
    private Task? _polling;

    public void Start() => _polling = Task.Run(() => PollAsync(_stop.Token));

    public void Accepted(string eventId, DateTime postedAt)
    {
        lock (_pending)
        {
            _pending[eventId] = postedAt;
            _accepted.Add(postedAt);
        }
    }

    public int Pending
    {
        get { lock (_pending) { return _pending.Count; } }
    }

    public Snapshot Take()
    {
        lock (_pending)
        {
            return new Snapshot([.. _accepted], [.. _ended]);
        }
    }

    private async Task PollAsync(CancellationToken stop)
    {
        await using var data = NpgsqlDataSource.Create(connectionString);
        while (!stop.IsCancellationRequested)
        {
            string[] batch;
            lock (_pending)
            {
                batch = [.. _pending.OrderBy(entry => entry.Value).Take(BatchSize).Select(entry => entry.Key)];
            }

            if (batch.Length > 0)
            {
                try
                {
                    await ReadEndedAsync(data, batch, stop);
                }
                catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
                {
                    Console.Error.WriteLine($"polling the runs table failed: {exception.Message}");
                }
            }

            try
            {
                await Task.Delay(PollInterval, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ReadEndedAsync(NpgsqlDataSource data, string[] batch, CancellationToken stop)
    {
        await using var command = data.CreateCommand("""
            SELECT event_id, current_state, finished_at FROM orchestrator.runs
            WHERE source = $1 AND event_id = ANY($2) AND finished_at IS NOT NULL
            """);
        command.Parameters.Add(new() { Value = source });
        command.Parameters.Add(new() { Value = batch });
        await using var reader = await command.ExecuteReaderAsync(stop);
        var found = new List<(string EventId, string State, DateTime FinishedAt)>();
        while (await reader.ReadAsync(stop))
        {
            found.Add((reader.GetString(0), reader.GetString(1), DateTime.SpecifyKind(reader.GetDateTime(2), DateTimeKind.Utc)));
        }

        lock (_pending)
        {
            foreach (var (eventId, state, finishedAt) in found)
            {
                if (_pending.Remove(eventId, out var postedAt))
                {
                    _ended.Add(new Ended(postedAt, finishedAt, state == "Completed"));
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_polling is not null)
        {
            await _polling;
        }

        _stop.Dispose();
    }
}

/// <param name="Completed">False: the run ended Compensated or Failed.</param>
public sealed record Ended(DateTime PostedAt, DateTime FinishedAt, bool Completed);

public sealed record Snapshot(IReadOnlyList<DateTime> Accepted, IReadOnlyList<Ended> Ended)
{
    /// <summary>Accepted before <paramref name="at"/> and not ended by then.</summary>
    public long BacklogAt(DateTime at) => Accepted.Count(posted => posted < at) - Ended.Count(run => run.FinishedAt < at);
}
