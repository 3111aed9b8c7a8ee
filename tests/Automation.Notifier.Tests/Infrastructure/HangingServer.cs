using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Automation.Notifier.Tests.Infrastructure;

/// <summary>An HTTP server that reads requests and never answers. It counts the requests it received (their request lines),
/// whichever connections the client used.</summary>
public sealed class HangingServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentBag<TcpClient> _held = [];
    private int _requests;

    public HangingServer()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Requests => Volatile.Read(ref _requests);

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync();
                _held.Add(client);
                _ = CountRequestsAsync(client);
            }
        }
        catch (Exception exception) when (exception is ObjectDisposedException or SocketException)
        {
            // Stopped.
        }
    }

    private async Task CountRequestsAsync(TcpClient client)
    {
        var buffer = new byte[8192];
        var received = new StringBuilder();
        try
        {
            var stream = client.GetStream();
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
                var text = received.ToString();
                var index = text.IndexOf("POST /", StringComparison.Ordinal);
                while (index >= 0)
                {
                    Interlocked.Increment(ref _requests);
                    text = text[(index + 1)..];
                    index = text.IndexOf("POST /", StringComparison.Ordinal);
                }

                received.Clear().Append(text.Length > 8 ? text[^8..] : text);
            }
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or SocketException)
        {
            // The client gave up on its request and closed the connection.
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        foreach (var client in _held)
        {
            client.Dispose();
        }
    }
}
