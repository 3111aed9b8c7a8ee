using System.Net.Sockets;

namespace Automation.Testing;

/// <summary>The PostgreSQL server and RabbitMQ broker the tests share; each test class takes its own database and
/// virtual host on them (<see cref="PostgresDatabase"/>, <see cref="RabbitMqVirtualHost"/>).</summary>
public sealed record Servers(string PostgresConnectionString, Uri RabbitMqUri, Uri RabbitMqManagementUri)
{
    internal async Task EnsureReachableAsync(string howToStart)
    {
        var postgres = new Npgsql.NpgsqlConnectionStringBuilder(PostgresConnectionString);
        await EnsureListeningAsync("PostgreSQL", postgres.Host!, postgres.Port, howToStart);
        await EnsureListeningAsync("RabbitMQ", RabbitMqUri.Host, RabbitMqUri.Port, howToStart);
    }

    private static async Task EnsureListeningAsync(string server, string host, int port, string howToStart)
    {
        using var client = new TcpClient();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await client.ConnectAsync(host, port, timeout.Token);
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException)
        {
            throw new InvalidOperationException($"{server} does not answer on {host}:{port}. {howToStart}", exception);
        }
    }
}
