using System.Globalization;
using System.Text;
using MassTransit.Middleware.Outbox;
using Npgsql;
using NpgsqlTypes;

namespace Automation.Messaging.Postgres;

/// <summary>One outbox (its state row and its messages) to be written by the application's own statement, as data-modifying
/// common table expressions that insert only when the application's own insert did (see <see cref="AppendTo"/>).</summary>
public sealed class BusOutboxInsert
{
    private const string MessageColumns = "message_id, outbox_id, content_type, message_type, body, headers, properties, conversation_id, "
        + "correlation_id, initiator_id, request_id, source_address, destination_address, response_address, fault_address, sent_time, "
        + "expiration_time";

    private static readonly string QualifiedMessageColumns = string.Join(", ", MessageColumns.Split(", ").Select(column => "m." + column));

    private readonly InboxOutboxTables _tables;
    private readonly OutboxState _outbox;
    private readonly IReadOnlyList<OutboxMessage> _messages;
    private readonly IBusOutboxNotification _notification;

    internal BusOutboxInsert(InboxOutboxTables tables, OutboxState outbox, IReadOnlyList<OutboxMessage> messages,
        IBusOutboxNotification notification)
    {
        _tables = tables;
        _outbox = outbox;
        _messages = messages;
        _notification = notification;
    }

    /// <summary>Appends to a <c>WITH</c> list (after the application's own expressions) the inserts of this outbox, and their
    /// parameters to <paramref name="parameters"/> (positional, <c>$n</c>). They insert one row set per row of the
    /// expression named <paramref name="gate"/>, which must yield at most one row: the application's
    /// <c>INSERT … ON CONFLICT DO NOTHING RETURNING …</c>, so a duplicate stores no message. Messages keep their order.</summary>
    public void AppendTo(StringBuilder sql, NpgsqlParameterCollection parameters, string gate)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentNullException.ThrowIfNull(parameters);
        sql.Append(CultureInfo.InvariantCulture, $", outbox_state_rows AS (INSERT INTO {_tables.OutboxState} (outbox_id, created) SELECT ")
            .Append(Add(parameters, _outbox.OutboxId)).Append(", ").Append(Add(parameters, _outbox.Created))
            .Append(CultureInfo.InvariantCulture, $" FROM {gate})");
        sql.Append(CultureInfo.InvariantCulture, $", outbox_message_rows AS (INSERT INTO {_tables.OutboxMessage} ({MessageColumns}) SELECT ")
            .Append(QualifiedMessageColumns).Append(" FROM (VALUES ");
        for (var index = 0; index < _messages.Count; index++)
        {
            sql.Append(index == 0 ? "(" : ", (").Append(index).Append(", ");
            AppendValues(sql, parameters, _messages[index]);
            sql.Append(')');
        }

        sql.Append(CultureInfo.InvariantCulture, $") AS m(position, {MessageColumns}) CROSS JOIN {gate} ORDER BY position)");
    }

    /// <summary>Wakes the delivery service: call it once the statement has committed and stored the messages.</summary>
    public void Stored() => _notification.Delivered();

    private static void AppendValues(StringBuilder sql, NpgsqlParameterCollection parameters, OutboxMessage message)
    {
        sql.Append(Add(parameters, message.MessageId)).Append(", ")
            .Append(Add(parameters, message.OutboxId)).Append(", ")
            .Append(Add(parameters, message.ContentType)).Append(", ")
            .Append(Add(parameters, message.MessageType)).Append(", ")
            .Append(Add(parameters, message.Body)).Append(", ")
            .Append(Add(parameters, message.SerializedHeaders)).Append(", ")
            .Append(Add(parameters, message.SerializedProperties)).Append(", ")
            .Append(Add(parameters, message.ConversationId)).Append(", ")
            .Append(Add(parameters, message.CorrelationId)).Append(", ")
            .Append(Add(parameters, message.InitiatorId)).Append(", ")
            .Append(Add(parameters, message.RequestId)).Append(", ")
            .Append(Add(parameters, message.SourceAddress?.ToString())).Append(", ")
            .Append(Add(parameters, message.DestinationAddress?.ToString())).Append(", ")
            .Append(Add(parameters, message.ResponseAddress?.ToString())).Append(", ")
            .Append(Add(parameters, message.FaultAddress?.ToString())).Append(", ")
            .Append(Add(parameters, message.SentTime)).Append(", ")
            .Append(Add(parameters, message.ExpirationTime));
    }

    // Every parameter carries its PostgreSQL type, so a null in a VALUES list is never of unknown type.
    private static string Add(NpgsqlParameterCollection parameters, Guid? value) => Add(parameters, value, NpgsqlDbType.Uuid);

    private static string Add(NpgsqlParameterCollection parameters, string? value) => Add(parameters, value, NpgsqlDbType.Text);

    private static string Add(NpgsqlParameterCollection parameters, DateTime? value) => Add(parameters, value, NpgsqlDbType.TimestampTz);

    private static string Add<T>(NpgsqlParameterCollection parameters, T? value, NpgsqlDbType type)
    {
        parameters.Add(new NpgsqlParameter<T?> { TypedValue = value, NpgsqlDbType = type });
        return "$" + parameters.Count.ToString(CultureInfo.InvariantCulture);
    }
}
