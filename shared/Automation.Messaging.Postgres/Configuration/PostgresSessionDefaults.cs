using System.Data.Common;
using Npgsql;

namespace Automation.Messaging.Postgres;

/// <summary>Connection settings that bound how long a lost database or a lost client can hold things up; add them to the
/// connection string of every DbContext the library works on (a setting the string names is left as it is).</summary>
public static class PostgresSessionDefaults
{
    /// <summary>How long PostgreSQL lets a session sit idle inside a transaction before it ends the session and releases
    /// its locks. An instance that froze (stopped, or cut off by the network) while it held an inbox row, an outbox or a
    /// saga instance would otherwise hold them until its connection is noticed dead, hours later: every twin and every
    /// other replica would wait on them. Our transactions are idle only while a consumer runs or a delivery pass waits for
    /// the broker, both bounded by their own timeouts (10 s by default), so a minute leaves room.</summary>
    public static readonly TimeSpan IdleInTransactionTimeout = TimeSpan.FromMinutes(1);

    /// <summary>Seconds an idle connection waits before Npgsql checks that the server still answers. A pooled connection to
    /// a server that silently stopped answering is then broken and replaced before a message gets it, instead of costing
    /// that message a full command timeout.</summary>
    public const int KeepAliveSeconds = 30;

    private const string IdleInTransactionSetting = "idle_in_transaction_session_timeout";

    public static string Apply(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.ContainsKey("Keepalive"))
        {
            builder.KeepAlive = KeepAliveSeconds;
        }

        if (builder.Options?.Contains(IdleInTransactionSetting, StringComparison.Ordinal) != true)
        {
            var setting = $"-c {IdleInTransactionSetting}={(int)IdleInTransactionTimeout.TotalMilliseconds}";
            builder.Options = string.IsNullOrWhiteSpace(builder.Options) ? setting : $"{builder.Options} {setting}";
        }

        return builder.ConnectionString;
    }
}
