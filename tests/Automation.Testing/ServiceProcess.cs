using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Automation.Testing;

/// <summary>An Automation service running as a process of its own — <c>dotnet</c> on its build output, configured only by
/// environment variables, as a deployment runs it — so a test can crash it: <see cref="KillAsync"/> sends SIGKILL, and no
/// shutdown code runs, nothing is flushed, committed or acknowledged.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private const int LinesKept = 200;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ServiceProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, line) => Keep(line.Data);
        _process.ErrorDataReceived += (_, line) => Keep(line.Data);
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the service wrote (standard output and error), for a failing test's message.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    /// <summary>Where <c>services/{folder}</c> is built, in the configuration the tests were built in.</summary>
    public static string OutputFolder(string folder)
    {
        // The tests' own output folder is bin/{configuration}/{framework}: the service's is the same under its project.
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory);
        return RepositoryRoot.Of("services", folder, "bin", testOutput.Parent!.Name, testOutput.Name);
    }

    /// <summary>Starts the service built from <c>services/{folder}</c> (<c>{assembly}.dll</c>, in the configuration the tests
    /// were built in) with <paramref name="settings"/> as environment variables (<c>A:B</c> becomes <c>A__B</c>).</summary>
    public static ServiceProcess Start(string folder, string assembly, IReadOnlyDictionary<string, string> settings, params string[] arguments)
    {
        var output = OutputFolder(folder);
        var entry = Path.Combine(output, assembly + ".dll");
        if (!File.Exists(entry))
        {
            throw new InvalidOperationException($"{entry} does not exist: build services/{folder} first (dotnet build).");
        }

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = output,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // A free management port too: the one in the service's settings may be taken by ./automation up beside the tests.
            Environment =
            {
                ["ASPNETCORE_URLS"] = RealSockets.AnyFreeLoopbackPort,
                ["Management__Port"] = FreeTcpPort.Next().ToString(CultureInfo.InvariantCulture),
            },
        };
        start.ArgumentList.Add(entry);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in settings)
        {
            // The host's own settings (a factory's UseSetting("environment", …)) are read from ASPNETCORE_ variables.
            start.Environment[key == "environment" ? "ASPNETCORE_ENVIRONMENT" : key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var service = new ServiceProcess(Process.Start(start)!);
        service._process.BeginOutputReadLine();
        service._process.BeginErrorReadLine();
        return service;
    }

    /// <summary>Runs one of the service's commands (e.g. <c>deploy-topology</c>) to its end: its exit code and last lines.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string folder, string assembly, IReadOnlyDictionary<string, string> settings,
        string command, TimeSpan timeout)
    {
        await using var service = Start(folder, assembly, settings, command);
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await service._process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{assembly} {command} did not end within {timeout}:{Environment.NewLine}{service.Output}");
        }

        // The exit is seen before the last lines are read: waiting again without a timeout drains the output.
        await service._process.WaitForExitAsync(CancellationToken.None);
        return (service._process.ExitCode, service.Output);
    }

    /// <summary>Sends SIGTERM, as an orchestrator does to stop a container, and waits for the process to exit.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(CancellationToken.None);
        }

        using var deadline = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(deadline.Token);
        return _process.ExitCode;
    }

    public async Task KillAsync()
    {
        // Process.Kill sends SIGKILL on Linux.
        _process.Kill();
        await _process.WaitForExitAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > LinesKept && _output.TryDequeue(out _))
        {
        }
    }
}
