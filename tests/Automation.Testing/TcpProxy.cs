using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Automation.Testing;

/// <summary>A TCP proxy in the test process, in front of a shared server. <see cref="Cut"/> drops every connection and
/// refuses new ones, as an outage would; <see cref="Restore"/> lets them through again. Tests that need a server to go
/// away use this instead of stopping the server other test classes share.</summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly ConcurrentDictionary<Guid, (TcpClient Client, TcpClient Server)> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _acceptLoop;
    private volatile bool _cut;

    public TcpProxy(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        _listener.Start();
        _acceptLoop = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public bool IsCut => _cut;

    public void Cut()
    {
        _cut = true;
        foreach (var (id, pair) in _connections)
        {
            pair.Client.Close();
            pair.Server.Close();
            _connections.TryRemove(id, out _);
        }
    }

    public void Restore() => _cut = false;

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            if (_cut)
            {
                client.Close();
                continue;
            }

            _ = PipeAsync(client);
        }
    }

    private async Task PipeAsync(TcpClient client)
    {
        var server = new TcpClient();
        var id = Guid.NewGuid();
        try
        {
            await server.ConnectAsync(_targetHost, _targetPort, _stopping.Token);
            client.NoDelay = true;
            server.NoDelay = true;
            _connections[id] = (client, server);
            if (_cut)
            {
                // Cut while this connection was being set up: it was not in the list Cut() closed.
                return;
            }

            var clientStream = client.GetStream();
            var serverStream = server.GetStream();
            await Task.WhenAny(
                clientStream.CopyToAsync(serverStream, _stopping.Token),
                serverStream.CopyToAsync(clientStream, _stopping.Token));
        }
        catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection ended: cut by the test, closed by a peer, or the proxy is stopping.
        }
        finally
        {
            _connections.TryRemove(id, out _);
            client.Close();
            server.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        Cut();
        await _acceptLoop;
        _stopping.Dispose();
    }
}
