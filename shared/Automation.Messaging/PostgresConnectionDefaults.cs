using System.Data.Common;
using Npgsql;

namespace Automation.Messaging;

/// <summary>What our services add to a configured PostgreSQL connection string when it does not say otherwise.</summary>
public static class PostgresConnectionDefaults
{
    /// <summary>Statements Npgsql keeps prepared per connection once used a few times: enough for the inbox, the outbox,
    /// the delivery service and a service's own hot statements.</summary>
    public const int MaxAutoPrepare = 30;

    public static string Apply(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        return given.ContainsKey("Max Auto Prepare") || given.ContainsKey("MaxAutoPrepare")
            ? connectionString
            : new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = MaxAutoPrepare }.ConnectionString;
    }
}
