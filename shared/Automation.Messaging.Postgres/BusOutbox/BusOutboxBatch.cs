using System.Globalization;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace Automation.Messaging.Postgres;

/// <summary>The bus outboxes of several application rows, written by the application's own statement as data-modifying
/// common table expressions: each row's outbox is inserted only when that row was (see <see cref="AppendTo"/>), so a
/// duplicate stores no message. Every value travels in one array parameter per column, so the statement's text is the
/// same however many rows it carries, and Npgsql prepares it once.</summary>
public sealed class BusOutboxBatch
{
    private const string MessageColumns = "message_id, outbox_id, content_type, message_type, body, headers, properties, conversation_id, "
        + "correlation_id, initiator_id, request_id, source_address, destination_address, response_address, fault_address, sent_time, "
        + "expiration_time";

    private static readonly string QualifiedMessageColumns = string.Join(", ", MessageColumns.Split(", ").Select(column => "m." + column));

    private readonly List<(Guid Key, BusOutboxInsert Outbox)> _outboxes = [];

    public int Count => _outboxes.Count;

    /// <summary>Adds the outbox of the application row whose key is <paramref name="key"/>.</summary>
    public void Add(Guid key, BusOutboxInsert outbox)
    {
        ArgumentNullException.ThrowIfNull(outbox);
        _outboxes.Add((key, outbox));
    }

    /// <summary>Appends to a <c>WITH</c> list (after the application's own expressions) the inserts of every outbox, and
    /// their parameters to <paramref name="parameters"/> (positional, <c>$n</c>, numbered after those already there). An
    /// outbox is inserted when the expression named <paramref name="gate"/> yields a row whose
    /// <paramref name="keyColumn"/> is its key: the application's <c>INSERT … ON CONFLICT DO NOTHING RETURNING</c>.
    /// Messages keep their order within each outbox and across the batch.</summary>
    public void AppendTo(StringBuilder sql, NpgsqlParameterCollection parameters, string gate, string keyColumn)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentNullException.ThrowIfNull(parameters);
        if (_outboxes.Count == 0)
        {
            throw new InvalidOperationException("The batch holds no outbox.");
        }

        var tables = _outboxes[0].Outbox.Tables;
        var states = _outboxes.Select(entry => entry.Outbox.Outbox).ToArray();
        sql.Append(CultureInfo.InvariantCulture, $", outbox_state_rows AS (INSERT INTO {tables.OutboxState} (outbox_id, created) ")
            .Append("SELECT s.outbox_id, s.created FROM unnest(")
            .Append(Add(parameters, _outboxes.Select(entry => (Guid?)entry.Key), NpgsqlDbType.Uuid)).Append(", ")
            .Append(Add(parameters, states.Select(state => (Guid?)state.OutboxId), NpgsqlDbType.Uuid)).Append(", ")
            .Append(Add(parameters, states.Select(state => (DateTime?)state.Created), NpgsqlDbType.TimestampTz))
            .Append(CultureInfo.InvariantCulture, $") AS s(gate_key, outbox_id, created) JOIN {gate} g ON g.{keyColumn} = s.gate_key)");

        var rows = _outboxes.SelectMany(entry => entry.Outbox.Messages.Select(message => (entry.Key, Message: message))).ToArray();
        var messages = rows.Select(row => row.Message).ToArray();
        sql.Append(CultureInfo.InvariantCulture, $", outbox_message_rows AS (INSERT INTO {tables.OutboxMessage} ({MessageColumns}) ")
            .Append("SELECT ").Append(QualifiedMessageColumns)
            .Append(" FROM unnest(")
            .Append(Add(parameters, rows.Select(row => (Guid?)row.Key), NpgsqlDbType.Uuid)).Append(", ")
            .Append(Add(parameters, messages.Select(message => (Guid?)message.MessageId), NpgsqlDbType.Uuid)).Append(", ")
            .Append(Add(parameters, messages.Select(message => message.OutboxId), NpgsqlDbType.Uuid)).Append(", ")
            .Append(Add(parameters, messages.Select(message => (string?)message.ContentType), NpgsqlDbType.Text)).Append(", ")
            .Append(Add(parameters, messages.Select(message => (string?)message.MessageType), NpgsqlDbType.Text)).Append(", ")
            .Append(Add(parameters, messages.Select(message => (string?)message.Body), NpgsqlDbType.Text)).Append(", ")
            .Append(Add(parameters, messages.Select(message => message.SerializedHeaders), NpgsqlDbType.Text)).Append(", ")
            .Append(Add(parameters, messages.Select(message => message.SerializedProperties), NpgsqlDbType.Text)).Append(", ")
            .Append(Add(parameters, messages.Select(message => message.ConversationId), NpgsqlDbType.Uuid)).Append(", ")
            .Append(Add(parameters, messages.Select(message => message.CorrelationId), NpgsqlDbType.Uuid)).Append(", ")
            .Append(Add(parameters, messages.Select(message => message.InitiatorId), NpgsqlDbType.Uuid)).Append(", ")
            .Append(Add(parameters, messages.Select(message => message.RequestId), NpgsqlDbType.Uuid)).Append(", ")
            .Append(Add(parameters, messages.Select(message => message.SourceAddress?.ToString()), NpgsqlDbType.Text)).Append(", ")
            .Append(Add(parameters, messages.Select(message => message.DestinationAddress?.ToString()), NpgsqlDbType.Text)).Append(", ")
            .Append(Add(parameters, messages.Select(message => message.ResponseAddress?.ToString()), NpgsqlDbType.Text)).Append(", ")
            .Append(Add(parameters, messages.Select(message => message.FaultAddress?.ToString()), NpgsqlDbType.Text)).Append(", ")
            .Append(Add(parameters, messages.Select(message => (DateTime?)message.SentTime), NpgsqlDbType.TimestampTz)).Append(", ")
            .Append(Add(parameters, messages.Select(message => message.ExpirationTime), NpgsqlDbType.TimestampTz))
            .Append(CultureInfo.InvariantCulture, $") WITH ORDINALITY AS m(gate_key, {MessageColumns}, position) ")
            .Append(CultureInfo.InvariantCulture, $"JOIN {gate} g ON g.{keyColumn} = m.gate_key ORDER BY m.position)");
    }

    /// <summary>Wakes the delivery service: call it once the statement has committed and stored messages.</summary>
    public void Stored()
    {
        if (_outboxes.Count > 0)
        {
            _outboxes[0].Outbox.Notification.Delivered();
        }
    }

    private static string Add<T>(NpgsqlParameterCollection parameters, IEnumerable<T> values, NpgsqlDbType type)
    {
        parameters.Add(new NpgsqlParameter<T[]> { TypedValue = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | type });
        return "$" + parameters.Count.ToString(CultureInfo.InvariantCulture);
    }
}
