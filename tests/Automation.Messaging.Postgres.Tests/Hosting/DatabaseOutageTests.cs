using System.Net.Http;
using System.Net.Sockets;
using Automation.Messaging.Postgres;
using Npgsql;

namespace Automation.Messaging.Postgres.Tests.Hosting;

/// <summary>Which failures pause an endpoint and requeue its message (the database is away) and which go on to the usual
/// retries, fault and error queue.</summary>
public sealed class DatabaseOutageTests
{
    [Fact]
    public void A_connection_the_database_driver_could_not_open_is_an_outage() =>
        Assert.True(DatabaseOutage.IsOutage(new InvalidOperationException("consume failed",
            new NpgsqlException("Failed to connect to 127.0.0.1:55432", new SocketException((int)SocketError.ConnectionRefused)))));

    [Fact]
    public void A_socket_failure_of_an_http_call_wrapped_by_the_application_is_not_an_outage() =>
        Assert.False(DatabaseOutage.IsOutage(new InvalidOperationException("HubSpot contact upsert: no answer within 1 s",
            new TaskCanceledException("The operation was canceled.",
                new HttpRequestException("Unable to read data", new SocketException((int)SocketError.OperationAborted))))));

    [Fact]
    public void A_statement_that_timed_out_on_a_server_that_answered_is_not_an_outage()
    {
        Assert.False(DatabaseOutage.IsOutage(new NpgsqlException("Exception while reading from stream", new TimeoutException())));
        Assert.False(DatabaseOutage.IsOutage(new PostgresException("canceling statement due to lock timeout", "ERROR", "ERROR", "55P03")));
    }

    [Fact]
    public void A_server_shutting_down_is_an_outage() =>
        Assert.True(DatabaseOutage.IsOutage(new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01")));
}
