using System.Diagnostics;
using System.Net.Sockets;
using Automation.Testing;

namespace Automation.Deployment.Tests;

/// <summary>A program that is not part of the infrastructure instance: the script must leave it alone.</summary>
internal sealed class ForeignProcess : IDisposable
{
    private readonly Process _process;

    private ForeignProcess(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardInput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
    }

    public int Pid => _process.Id;

    public bool IsAlive => LinuxProcesses.IsAlive(Pid);

    /// <summary>A listener on 127.0.0.1:<paramref name="port"/>, as another program holding a port we want.</summary>
    public static async Task<ForeignProcess> ListeningAsync(int port)
    {
        // A server just killed may hold its port a moment longer (a child that inherited the socket): the listener must
        // be the one that answers, not what is left of the server.
        await Eventually.Until(async () => !await AcceptsAsync(port), $"port {port} is free for the foreign listener");
        var listener = new ForeignProcess("perl", "-MIO::Socket::INET", "-e",
            $"my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => {port}, Listen => 5, ReuseAddr => 1) or die $!; sleep 600");
        await Eventually.Until(async () => listener.IsAlive ? await AcceptsAsync(port) : throw new InvalidOperationException(
            $"the foreign listener on {port} exited"), $"a foreign program listens on {port}");
        return listener;
    }

    /// <summary>A process that does nothing, run as <paramref name="user"/> (a PID a stale PID file may come to name).</summary>
    public static ForeignProcess Idle(string user) =>
        new("setpriv", $"--reuid={user}", $"--regid={user}", "--init-groups", "sleep", "600");

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
