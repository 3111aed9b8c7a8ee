using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Automation.Testing;

/// <summary>A TCP proxy in the test process, in front of a shared server. <see cref="Cut"/> drops every connection and
/// refuses new ones, as a server that went away would; <see cref="Blackhole"/> keeps every connection open and accepts new
/// ones but forwards nothing, as a network that silently drops packets (or a frozen server) would; <see cref="Restore"/>
/// lets bytes through again (what a blackhole held back is delivered then, as TCP would after a partition heals). Tests
/// that need a server to go away use this instead of stopping the server other test classes share.</summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly ConcurrentDictionary<Guid, (TcpClient Client, TcpClient Server)> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _acceptLoop;
    private readonly Lock _gate = new();
    private TaskCompletionSource _flowing = Flowing();
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

    /// <summary>From now on nothing passes in either direction, and nothing is closed: a client learns of it only by its
    /// own timeouts.</summary>
    public void Blackhole()
    {
        lock (_gate)
        {
            if (_flowing.Task.IsCompleted)
            {
                _flowing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    public void Restore()
    {
        _cut = false;
        lock (_gate)
        {
            _flowing.TrySetResult();
        }
    }

    private Task WhileFlowing(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _flowing.Task.WaitAsync(cancellationToken);
        }
    }

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
            _connections[id] = (client, server);
            // A connection accepted during a blackhole waits, open, for the network to come back.
            await WhileFlowing(_stopping.Token);
            await server.ConnectAsync(_targetHost, _targetPort, _stopping.Token);
            client.NoDelay = true;
            server.NoDelay = true;
            if (_cut)
            {
                // Cut while this connection was being set up: it was not in the list Cut() closed.
                return;
            }

            await Task.WhenAny(
                PumpAsync(client.GetStream(), server.GetStream()),
                PumpAsync(server.GetStream(), client.GetStream()));
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

    /// <summary>Copies bytes while the proxy lets them flow; during a blackhole it neither reads nor writes, so what was
    /// sent waits in the sockets' buffers.</summary>
    private async Task PumpAsync(NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            await WhileFlowing(_stopping.Token);
            var read = await from.ReadAsync(buffer, _stopping.Token);
            if (read == 0)
            {
                return;
            }

            await WhileFlowing(_stopping.Token);
            await to.WriteAsync(buffer.AsMemory(0, read), _stopping.Token);
        }
    }

    private static TaskCompletionSource Flowing()
    {
        var flowing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        flowing.SetResult();
        return flowing;
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
