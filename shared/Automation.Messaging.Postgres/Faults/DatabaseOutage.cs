using System.Data.Common;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Automation.Messaging.Postgres;

/// <summary>Tells an unreachable PostgreSQL (refused or broken connections, a server shutting down or not accepting
/// connections yet, an exhausted pool) from every other failure. Serialization failures and deadlocks
/// (<c>40001</c>, <c>40P01</c>) are transient too, but the database is there: the endpoint's retry policy handles them.</summary>
public static class DatabaseOutage
{
    public static bool IsOutage(Exception exception)
    {
        var fromDatabase = false;
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case PostgresException postgres:
                    return postgres.SqlState.StartsWith("08", StringComparison.Ordinal) // connection exception
                        || postgres.SqlState is "57P01" or "57P02" or "57P03" or "53300"; // shutdown, crash, starting, too many connections
                case NpgsqlException npgsql when npgsql.IsTransient:
                    return true;
                case RetryLimitExceededException:
                    return true;
                case DbException:
                    fromDatabase = true;
                    break;
                // Only the database's own sockets: a failed HTTP call (a connector's, which keeps its cause) is no outage.
                case SocketException when fromDatabase:
                    return true;
            }
        }

        return false;
    }

    /// <summary>True for the transient failures of a database that is there: retry the message in a fresh scope.</summary>
    public static bool IsSerializationFailure(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is PostgresException { SqlState: "40001" or "40P01" })
            {
                return true;
            }
        }

        return false;
    }
}
