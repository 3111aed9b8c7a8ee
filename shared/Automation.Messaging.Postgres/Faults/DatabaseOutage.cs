using System.Data;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Automation.Messaging.Postgres;

/// <summary>Tells a PostgreSQL that cannot be reached (refused, broken or lost connections to it, a server shutting
/// down or not accepting connections yet) from every other failure. A timeout is not an outage by itself: a statement
/// that waited past its timeout on a server that answered the cancellation (e.g. waiting on a lock) keeps its
/// connection and fails like any other statement, through the retries to the error queue. A timeout that cost the
/// connection (no answer at all, or no connection in the first place) is one. Serialization failures and deadlocks
/// (<c>40001</c>, <c>40P01</c>) are transient too, but the database is there: the endpoint's retry policy handles
/// them.</summary>
public static class DatabaseOutage
{
    private const string ConnectionLostKey = "Automation.Messaging.Postgres.ConnectionLost";

    public static bool IsOutage(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current.Data.Contains(ConnectionLostKey))
            {
                return true;
            }

            switch (current)
            {
                case PostgresException postgres:
                    return postgres.SqlState.StartsWith("08", StringComparison.Ordinal) // connection exception
                        || postgres.SqlState is "57P01" or "57P02" or "57P03" or "53300"; // shutdown, crash, starting, too many connections
                case NpgsqlException { InnerException: TimeoutException }:
                    return false;
                // Only the database's own connections: a failed HTTP call (a connector's, which keeps its cause down to
                // the SocketException) is no outage.
                case NpgsqlException { InnerException: IOException or SocketException }:
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

    /// <summary>Runs <paramref name="work"/> on the DbContext's connection, opened for it and kept open until it ends, so
    /// that a timeout that cost the connection can be told from one that did not: Npgsql keeps the connection of a statement
    /// that timed out when the server answers the cancellation, and closes it when the server does not answer (or when it
    /// never opened). Such a timeout is marked as an outage.</summary>
    internal static async Task RunOnOpenConnectionAsync(this DbContext dbContext, Func<Task> work, CancellationToken cancellationToken)
    {
        var opened = false;
        try
        {
            await dbContext.Database.OpenConnectionAsync(cancellationToken);
            opened = true;
            await work();
        }
        catch (Exception exception) when (dbContext.Database.GetDbConnection().State != ConnectionState.Open && HasClientTimeout(exception))
        {
            exception.Data[ConnectionLostKey] = true;
            throw;
        }
        finally
        {
            if (opened)
            {
                await dbContext.Database.CloseConnectionAsync();
            }
        }
    }

    private static bool HasClientTimeout(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is NpgsqlException { InnerException: TimeoutException })
            {
                return true;
            }
        }

        return false;
    }
}
