using System.Collections.Concurrent;
using System.Diagnostics;
using Automation.Messaging.Postgres.CrashHost;
using Automation.Testing;

namespace Automation.Messaging.Postgres.Tests.Crashes;

/// <summary>A crash host (<see cref="CrashHostProgram"/>) running as a child process on a test class's database and virtual
/// host: its standard output read line by line, killed with SIGKILL by the test or when disposed.</summary>
internal sealed class CrashHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ConcurrentQueue<string> _errors = new();

    private CrashHostProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, line) => Keep(_lines, line.Data);
        _process.ErrorDataReceived += (_, line) => Keep(_errors, line.Data);
    }

    public static CrashHostProcess Start(PostgresDatabase database, RabbitMqVirtualHost virtualHost, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ConnectionStrings__Automation"] = database.ConnectionString,
                ["RabbitMq__Uri"] = virtualHost.Uri.ToString(),
            },
        };
        start.ArgumentList.Add(typeof(CrashHostProgram).Assembly.Location);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var host = new CrashHostProcess(Process.Start(start)!);
        host._process.BeginOutputReadLine();
        host._process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Waits for a line starting with <paramref name="prefix"/> and returns the rest of it.</summary>
    public async Task<string> WaitForLineAsync(string prefix)
    {
        await Eventually.Until(() => _lines.Any(line => line.StartsWith(prefix, StringComparison.Ordinal)) || _process.HasExited,
            $"the crash host printed {prefix}", TimeSpan.FromSeconds(60));
        var line = _lines.FirstOrDefault(line => line.StartsWith(prefix, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"The crash host exited ({_process.ExitCode}) before printing {prefix}: {string.Join('\n', _errors)}");
        return line[prefix.Length..].Trim();
    }

    public async Task KillAsync()
    {
        // Process.Kill sends SIGKILL on Linux: no shutdown code runs, nothing is flushed or acknowledged.
        _process.Kill();
        await _process.WaitForExitAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private static void Keep(ConcurrentQueue<string> lines, string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
        }
    }
}
