using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Automation.Testing;
using Npgsql;

namespace Automation.Deployment.Tests;

/// <summary>A PostgreSQL and RabbitMQ of its own, run by <c>eng/infra.sh</c> on free ports with a temporary state
/// folder, so that a test can crash them. The shared servers on the default ports are never touched: every PID this
/// class hands out is checked to belong to this instance first.</summary>
public sealed class InfraInstance : IAsyncLifetime
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(120);
    private readonly DirectoryInfo _state = Directory.CreateTempSubdirectory("automation-infra-");
    private readonly HttpClient _management = new() { Timeout = TimeSpan.FromSeconds(5) };
    private bool _stopped;

    public InfraInstance()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("eng/infra.sh runs its servers on Linux");
        }

        // The postgres user must reach its data folder inside it (eng/infra.sh runs PostgreSQL as that user).
        _state.UnixFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        var ports = FreePorts(5);
        (PostgresPort, AmqpPort, ManagementPort, DistributionPort, EpmdPort) = (ports[0], ports[1], ports[2], ports[3], ports[4]);
        _management.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("guest:guest")));
    }

    public int PostgresPort { get; }
    public int AmqpPort { get; }
    public int ManagementPort { get; }
    public int DistributionPort { get; }
    public int EpmdPort { get; }

    public string PostgresData => Path.Combine(_state.FullName, "postgres", "data");

    public string RabbitDirectory => Path.Combine(_state.FullName, "rabbitmq");

    public string PostgresConnectionString =>
        $"Host=127.0.0.1;Port={PostgresPort};Username=postgres;Password=postgres;Pooling=false;Timeout=3";

    private string RabbitMarker => $"RABBITMQ_MNESIA_BASE={RabbitDirectory}/mnesia";

    public async ValueTask InitializeAsync()
    {
        var run = await RunAsync("start");
        if (run.ExitCode != 0)
        {
            await DisposeAsync();
            throw new InvalidOperationException($"eng/infra.sh start failed (exit {run.ExitCode}):\n{run.Output}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        var stop = await RunAsync("stop");
        _management.Dispose();
        var left = ProcessesOfThisInstance().ToArray();
        var listening = new[] { PostgresPort, AmqpPort, ManagementPort, DistributionPort, EpmdPort }.Where(Listens).ToArray();
        if (stop.ExitCode != 0 || left.Length > 0 || listening.Length > 0)
        {
            throw new InvalidOperationException(
                $"eng/infra.sh stop (exit {stop.ExitCode}) left processes [{string.Join(", ", left)}] and listeners on "
                + $"[{string.Join(", ", listening)}]; state kept in {_state.FullName}:\n{stop.Output}");
        }

        _state.Delete(recursive: true);
    }

    public async Task<ScriptRun> RunAsync(string command)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(RepositoryFiles.PathOf("eng", "infra.sh"));
        start.ArgumentList.Add(command);
        start.Environment["AUTOMATION_STATE_DIR"] = _state.FullName;
        start.Environment["AUTOMATION_PG_PORT"] = Text(PostgresPort);
        start.Environment["AUTOMATION_AMQP_PORT"] = Text(AmqpPort);
        start.Environment["AUTOMATION_RABBIT_MGMT_PORT"] = Text(ManagementPort);
        start.Environment["AUTOMATION_RABBIT_DIST_PORT"] = Text(DistributionPort);
        start.Environment["AUTOMATION_EPMD_PORT"] = Text(EpmdPort);
        start.Environment["AUTOMATION_READY_TIMEOUT"] = "60";
        start.Environment["AUTOMATION_NO_DOCKER"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ScriptTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"eng/infra.sh {command} ran longer than {ScriptTimeout.TotalSeconds}s");
        }

        return new ScriptRun(process.ExitCode, await output + await errors);
    }

    /// <summary>Runs start and fails the test, with the script's output, unless it succeeds.</summary>
    public async Task StartAsync()
    {
        var run = await RunAsync("start");
        Assert.True(run.ExitCode == 0, $"eng/infra.sh start failed (exit {run.ExitCode}):\n{run.Output}");
    }

    public int PostmasterPid() => OwnPid(File.ReadLines(Path.Combine(PostgresData, "postmaster.pid")).First());

    /// <summary>The node's beam.smp: the broker writes its own PID to rabbit.pid once it boots.</summary>
    public int RabbitNodePid() => OwnPid(File.ReadAllText(Path.Combine(RabbitDirectory, "rabbit.pid")));

    public int EpmdPid() => OwnPid(File.ReadAllText(Path.Combine(RabbitDirectory, "epmd.pid")));

    /// <summary>A PostgreSQL process of this instance works in its data folder; a RabbitMQ one (node, epmd, their
    /// children) carries this instance's data folder in its environment.</summary>
    public bool BelongsToThisInstance(int pid) =>
        LinuxProcesses.IsAlive(pid)
        && (LinuxProcesses.WorkingDirectory(pid) == PostgresData || LinuxProcesses.Environment(pid).Contains(RabbitMarker));

    public IEnumerable<int> ProcessesOfThisInstance() => LinuxProcesses.All().Where(BelongsToThisInstance);

    /// <summary>SIGKILLs the processes (each checked to be the instance's first) and returns once all are gone.</summary>
    public async Task CrashAsync(params int[] pids)
    {
        // Every one is checked before any is killed: killing a node ends its launcher (the script waiting for it) at once.
        foreach (var pid in pids)
        {
            Assert.True(BelongsToThisInstance(pid), $"process {pid} is not part of the test's instance: not killing it");
        }

        foreach (var pid in pids)
        {
            LinuxProcesses.KillHard(pid);
        }

        await Eventually.Until(() => !pids.Any(LinuxProcesses.IsAlive), $"processes {string.Join(", ", pids)} are gone");
    }

    public async Task<bool> PostgresAnswersAsync()
    {
        try
        {
            await using var connection = new NpgsqlConnection(PostgresConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            return (int)(await command.ExecuteScalarAsync())! == 1;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    /// <summary>The management API's aliveness test declares a queue, publishes to it and consumes from it.</summary>
    public async Task<bool> RabbitAnswersAsync()
    {
        try
        {
            using var response = await _management.GetAsync(new Uri($"http://127.0.0.1:{ManagementPort}/api/aliveness-test/%2F"));
            return response.StatusCode == HttpStatusCode.OK && (await response.Content.ReadAsStringAsync()).Contains("\"ok\"", StringComparison.Ordinal);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private int OwnPid(string text)
    {
        var pid = int.Parse(text.Trim(), CultureInfo.InvariantCulture);
        Assert.True(BelongsToThisInstance(pid), $"PID {pid} from the instance's PID file is not a live process of the instance");
        return pid;
    }

    private static bool Listens(int port)
    {
        using var client = new TcpClient();
        try
        {
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    // Below the kernel's ephemeral range (32768+), so no outgoing connection takes one between this check and the start.
    private static int[] FreePorts(int count)
    {
        var ports = new HashSet<int>();
        while (ports.Count < count)
        {
            var port = Random.Shared.Next(20000, 32000);
            using var probe = new TcpListener(IPAddress.Loopback, port);
            try
            {
                probe.Start();
                ports.Add(port);
            }
            catch (SocketException)
            {
                // taken: try another
            }
            finally
            {
                probe.Stop();
            }
        }

        return [.. ports];
    }

    private static string Text(int number) => number.ToString(CultureInfo.InvariantCulture);
}

public sealed record ScriptRun(int ExitCode, string Output);
