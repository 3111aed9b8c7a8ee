using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Automation.Messaging.Postgres;

/// <summary>The scheduler's statements on <c>scheduled_message</c>, through the scope's DbContext (so they join its
/// transaction when there is one). Commands are idempotent per token: a duplicate or an older command changes nothing.</summary>
internal sealed class ScheduledDeliveryStore
{
    /// <summary>The statements of each table, written once: a store is made for every message that schedules.</summary>
    private static readonly ConcurrentDictionary<string, Statements> StatementsByTable = new(StringComparer.Ordinal);

    private readonly DbContext _dbContext;
    private readonly Statements _statements;

    public ScheduledDeliveryStore(DbContext dbContext)
    {
        _dbContext = dbContext;
        var entity = dbContext.Model.FindEntityType(typeof(ScheduledDelivery))
            ?? throw new InvalidOperationException(
                $"{dbContext.GetType().Name}'s model has no scheduled messages: call modelBuilder.{nameof(ScheduledDeliveryModelBuilderExtensions.AddScheduledDeliveries)}() in OnModelCreating.");
        var table = dbContext.GetService<ISqlGenerationHelper>().DelimitIdentifier(entity.GetTableName()!, entity.GetSchema());
        _statements = StatementsByTable.GetOrAdd(table, Statements.Of);
    }

    private DbSet<ScheduledDelivery> Messages => _dbContext.Set<ScheduledDelivery>();

    /// <summary>Stores a message to send later. A new token is inserted; a known token is replaced only by a newer command
    /// with another MessageId (a reschedule), which also revives it if it was delivered or cancelled. Returns whether
    /// anything changed.</summary>
    public async Task<bool> Schedule(ScheduledDelivery message, CancellationToken cancellationToken)
    {
        var changed = await _dbContext.Database.ExecuteSqlRawAsync(_statements.Schedule,
        [
            Parameter("token_id", NpgsqlDbType.Uuid, message.TokenId),
            Parameter("due_at", NpgsqlDbType.TimestampTz, message.DueAt),
            Parameter("command_time", NpgsqlDbType.TimestampTz, message.CommandTime),
            Parameter("created_at", NpgsqlDbType.TimestampTz, message.CreatedAt),
            Parameter("destination", NpgsqlDbType.Text, message.Destination),
            Parameter("message_id", NpgsqlDbType.Uuid, message.MessageId),
            Parameter("content_type", NpgsqlDbType.Text, message.ContentType),
            Parameter("message_type", NpgsqlDbType.Text, message.MessageType),
            Parameter("body", NpgsqlDbType.Text, message.Body),
            Parameter("headers", NpgsqlDbType.Text, message.Headers),
            Parameter("properties", NpgsqlDbType.Text, message.Properties),
            Parameter("conversation_id", NpgsqlDbType.Uuid, message.ConversationId),
            Parameter("correlation_id", NpgsqlDbType.Uuid, message.CorrelationId),
            Parameter("initiator_id", NpgsqlDbType.Uuid, message.InitiatorId),
            Parameter("request_id", NpgsqlDbType.Uuid, message.RequestId),
            Parameter("source_address", NpgsqlDbType.Text, message.SourceAddress),
            Parameter("response_address", NpgsqlDbType.Text, message.ResponseAddress),
            Parameter("fault_address", NpgsqlDbType.Text, message.FaultAddress),
            Parameter("expiration_time", NpgsqlDbType.TimestampTz, message.ExpirationTime),
        ], cancellationToken);
        return changed > 0;
    }

    /// <summary>Cancels a token unless it was already delivered or a newer command rescheduled it. A cancel that overtook
    /// its schedule leaves a cancelled row, so the late schedule (an older command) is ignored. Returns whether anything
    /// changed.</summary>
    public async Task<bool> Cancel(Guid tokenId, DateTime commandTime, DateTime now, CancellationToken cancellationToken)
    {
        var changed = await _dbContext.Database.ExecuteSqlRawAsync(_statements.Cancel,
        [
            Parameter("token_id", NpgsqlDbType.Uuid, tokenId),
            Parameter("command_time", NpgsqlDbType.TimestampTz, commandTime),
            Parameter("now", NpgsqlDbType.TimestampTz, now),
        ], cancellationToken);
        return changed > 0;
    }

    /// <summary>Locks up to <paramref name="limit"/> due messages, earliest first, skipping those another instance holds.</summary>
    public Task<List<ScheduledDelivery>> LockDue(DateTime now, int limit, CancellationToken cancellationToken) =>
        Messages.FromSqlRaw(_statements.LockDue,
                Parameter("now", NpgsqlDbType.TimestampTz, now),
                Parameter("limit", NpgsqlDbType.Integer, limit))
            .AsNoTracking()
            .ToListAsync(cancellationToken);

    public Task MarkDelivered(IReadOnlyCollection<Guid> tokenIds, DateTime now, CancellationToken cancellationToken) =>
        Messages.Where(message => tokenIds.Contains(message.TokenId))
            .ExecuteUpdateAsync(set => set.SetProperty(message => message.DeliveredAt, now), cancellationToken);

    /// <summary>When the earliest pending message no other pass holds is due: the rows a pass is sending (another replica's,
    /// perhaps waiting for its broker) are not this loop's to wait for.</summary>
    public async Task<DateTime?> NextDue(CancellationToken cancellationToken)
    {
        var next = await _dbContext.Database.SqlQueryRaw<DateTime>(_statements.NextDue).ToListAsync(cancellationToken);
        return next.Count == 0 ? null : DateTime.SpecifyKind(next[0], DateTimeKind.Utc);
    }

    /// <summary>Deletes up to <paramref name="limit"/> delivered or cancelled messages that were due before
    /// <paramref name="cutoff"/>; returns how many.</summary>
    public Task<int> DeleteFinished(DateTime cutoff, int limit, CancellationToken cancellationToken) =>
        Messages.Where(message => (message.DeliveredAt != null || message.CancelledAt != null) && message.DueAt < cutoff)
            .OrderBy(message => message.DueAt)
            .Take(limit)
            .ExecuteDeleteAsync(cancellationToken);

    private sealed record Statements(string Schedule, string Cancel, string LockDue, string NextDue)
    {
        public static Statements Of(string table) => new(ScheduleStatement(table), CancelStatement(table),
            $"""
            SELECT * FROM {table}
            WHERE {ScheduledDeliveryMap.PendingFilter} AND due_at <= @now
            ORDER BY due_at
            LIMIT @limit
            FOR UPDATE SKIP LOCKED
            """,
            // FOR KEY SHARE conflicts only with the delivery pass's FOR UPDATE: the rows another pass is sending are skipped.
            $"""
            SELECT due_at AS "Value" FROM {table}
            WHERE {ScheduledDeliveryMap.PendingFilter}
            ORDER BY due_at
            LIMIT 1
            FOR KEY SHARE SKIP LOCKED
            """);
    }

    private static string ScheduleStatement(string table)
    {
        const string columns = "token_id, due_at, command_time, created_at, destination, message_id, content_type, message_type, "
            + "body, headers, properties, conversation_id, correlation_id, initiator_id, request_id, source_address, "
            + "response_address, fault_address, expiration_time";
        var replaced = string.Join(", ", columns.Split(", ").Where(column => column is not ("token_id" or "created_at"))
            .Select(column => $"{column} = excluded.{column}"));
        return $"""
            INSERT INTO {table} ({columns})
            VALUES (@token_id, @due_at, @command_time, @created_at, @destination, @message_id, @content_type, @message_type,
                    @body, @headers, @properties, @conversation_id, @correlation_id, @initiator_id, @request_id, @source_address,
                    @response_address, @fault_address, @expiration_time)
            ON CONFLICT (token_id) DO UPDATE SET {replaced}, delivered_at = NULL, cancelled_at = NULL
            WHERE {table}.command_time < excluded.command_time AND {table}.message_id IS DISTINCT FROM excluded.message_id
            """;
    }

    private static string CancelStatement(string table) => $"""
        INSERT INTO {table} (token_id, due_at, command_time, created_at, cancelled_at)
        VALUES (@token_id, @now, @command_time, @now, @now)
        ON CONFLICT (token_id) DO UPDATE SET cancelled_at = excluded.cancelled_at, command_time = excluded.command_time
        WHERE {table}.command_time <= excluded.command_time
          AND {table}.delivered_at IS NULL AND {table}.cancelled_at IS NULL
        """;

    private static NpgsqlParameter Parameter(string name, NpgsqlDbType type, object? value) =>
        new(name, type) { Value = value ?? DBNull.Value };
}
