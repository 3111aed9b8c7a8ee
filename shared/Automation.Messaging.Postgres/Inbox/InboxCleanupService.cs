using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Automation.Messaging.Postgres;

/// <summary>Deletes inbox rows whose messages were delivered longer than the duplicate-detection window ago, at most
/// <see cref="InboxCleanupServiceOptions.QueryMessageLimit"/> per statement, oldest first. Rows of messages still being
/// consumed or delivered are never touched. Safe with several instances (<c>SKIP LOCKED</c>).</summary>
internal sealed partial class InboxCleanupService<TDbContext>(
    IServiceScopeFactory scopes,
    IOptions<InboxCleanupServiceOptions<TDbContext>> options,
    TimeProvider time,
    ILogger<InboxCleanupService<TDbContext>> logger) : BackgroundService
    where TDbContext : DbContext
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A full batch means more may be waiting: go again at once.
                if (await RemoveExpiredAsync(stoppingToken) >= options.Value.QueryMessageLimit)
                {
                    continue;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogFailed(exception, options.Value.QueryDelay);
            }

            try
            {
                await Task.Delay(options.Value.QueryDelay, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One bounded batch; returns how many rows it deleted.</summary>
    public async Task<int> RemoveExpiredAsync(CancellationToken cancellationToken)
    {
        // Housekeeping, mostly finding nothing: no trace; what it removes is counted (automation.inbox.cleanup.removed).
        using var quiet = BackgroundPassTelemetry.Quiet();
        await using var scope = scopes.CreateAsyncScope();
        var dbContext = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var tables = InboxOutboxTables.For(dbContext);
        await dbContext.Database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"""
            DELETE FROM {tables.InboxState} WHERE (message_id, consumer_id) IN (
                SELECT message_id, consumer_id FROM {tables.InboxState}
                WHERE delivered < $1
                ORDER BY delivered
                LIMIT $2
                FOR UPDATE SKIP LOCKED)
            """, (NpgsqlConnection)dbContext.Database.GetDbConnection())
        {
            CommandTimeout = (int)Math.Ceiling(options.Value.QueryTimeout.TotalSeconds),
            Parameters =
            {
                new() { Value = time.GetUtcNow().UtcDateTime - options.Value.DuplicateDetectionWindow },
                new() { Value = options.Value.QueryMessageLimit },
            },
        };
        var removed = await command.ExecuteNonQueryAsync(cancellationToken);
        if (removed > 0)
        {
            MessagingPostgresInstrumentation.InboxRowsRemoved.Add(removed);
            LogRemoved(removed);
        }

        return removed;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Removed {Count} expired inbox rows")]
    private partial void LogRemoved(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inbox cleanup failed; trying again in {Delay}")]
    private partial void LogFailed(Exception exception, TimeSpan delay);
}
