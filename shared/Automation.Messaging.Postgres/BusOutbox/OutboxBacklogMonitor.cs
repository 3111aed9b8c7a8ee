using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Automation.Messaging.Postgres;

internal sealed class OutboxBacklogMonitor<TDbContext> : IOutboxBacklogMonitor, IDisposable
    where TDbContext : DbContext
{
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _time;
    private readonly TimeSpan _cacheDuration;
    private readonly SemaphoreSlim _measuring = new(1, 1);
    private volatile OutboxBacklog? _last;

    /// <summary>The gauges go on a meter of the host's <paramref name="meters"/>, so they go with the host: on the static meter
    /// every monitor a process ever made (one per host) kept reporting its last backlog under the same name.</summary>
    public OutboxBacklogMonitor(IServiceScopeFactory scopes, TimeProvider time, TimeSpan cacheDuration, IMeterFactory meters)
    {
        _scopes = scopes;
        _time = time;
        _cacheDuration = cacheDuration;
        var meter = meters.Create(MessagingPostgresInstrumentation.Name);
        meter.CreateObservableGauge("automation.outbox.backlog.messages",
            () => _last?.MessageCount ?? 0, "{message}", "Bus outbox messages not yet delivered to the broker.");
        meter.CreateObservableGauge("automation.outbox.backlog.oldest_age",
            () => _last?.OldestAge.TotalSeconds ?? 0, "s", "How long the oldest undelivered bus outbox has waited.");
    }

    public OutboxBacklog? Last => _last;

    public async Task<OutboxBacklog> GetAsync(CancellationToken cancellationToken)
    {
        if (IsFresh(_last))
        {
            return _last!;
        }

        await _measuring.WaitAsync(cancellationToken);
        try
        {
            // Callers that waited here get the measurement the first one made.
            if (IsFresh(_last))
            {
                return _last!;
            }

            _last = await MeasureAsync(cancellationToken);
            return _last;
        }
        finally
        {
            _measuring.Release();
        }
    }

    private bool IsFresh(OutboxBacklog? backlog) => backlog is not null && _time.GetUtcNow() - backlog.MeasuredAt < _cacheDuration;

    private async Task<OutboxBacklog> MeasureAsync(CancellationToken cancellationToken)
    {
        // A measurement, taken after idle delivery passes and by whichever request finds the last one stale: in no trace.
        using var quiet = BackgroundPassTelemetry.Quiet();
        await using var scope = _scopes.CreateAsyncScope();
        var dbContext = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var tables = InboxOutboxTables.For(dbContext);
        await dbContext.Database.OpenConnectionAsync(cancellationToken);
        await using var command = (NpgsqlCommand)dbContext.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"""
            SELECT (SELECT count(*) FROM {tables.OutboxMessage} WHERE outbox_id IS NOT NULL),
                   (SELECT min(created) FROM {tables.OutboxState})
            """;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var now = _time.GetUtcNow();
        var count = reader.GetInt64(0);
        if (count == 0 || reader.IsDBNull(1))
        {
            return OutboxBacklog.Empty(now);
        }

        var oldest = new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc));
        return new OutboxBacklog(count, now > oldest ? now - oldest : TimeSpan.Zero, now);
    }

    public void Dispose() => _measuring.Dispose();
}
