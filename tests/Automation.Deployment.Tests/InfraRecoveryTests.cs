using System.Diagnostics;
using Automation.Testing;
using Npgsql;

namespace Automation.Deployment.Tests;

/// <summary><c>eng/infra.sh start</c> (what <c>./automation infra</c> and <c>up</c> run) after a server was SIGKILLed:
/// it brings back what is down, leaves what runs alone, and never touches a process that is not its own. Each test
/// crashes the class's own instance (<see cref="InfraInstance"/>) and leaves both servers running.</summary>
[Collection(nameof(InfraRecoveryTests))]
public sealed class InfraRecoveryTests(InfraInstance infra) : IClassFixture<InfraInstance>
{
    [Fact]
    public async Task When_the_postmaster_is_killed_while_a_backend_is_busy_then_start_ends_the_orphan_and_brings_PostgreSQL_back()
    {
        await infra.StartAsync();
        var (postmaster, node) = (infra.PostmasterPid(), infra.RabbitNodePid());
        await using var busy = new NpgsqlConnection(infra.PostgresConnectionString);
        await busy.OpenAsync(TestContext.Current.CancellationToken);
        var backend = busy.ProcessID;
        await using var endless = new NpgsqlCommand("DO $$BEGIN LOOP PERFORM 1; END LOOP; END$$", busy) { CommandTimeout = 0 };
        var query = endless.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        await Eventually.Until(() => BackendIsActiveAsync(backend), "the backend runs the endless query");

        await infra.CrashAsync(postmaster);
        Assert.True(LinuxProcesses.IsAlive(backend), "the busy backend outlives its postmaster, holding its shared memory");

        await infra.StartAsync();

        Assert.NotEqual(postmaster, infra.PostmasterPid());
        Assert.True(await infra.PostgresAnswersAsync(), "PostgreSQL answers again");
        Assert.False(LinuxProcesses.IsAlive(backend), "the orphaned backend was ended");
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => query);
        await AssertRabbitKeptRunningAsync(node);
    }

    [Fact]
    public async Task When_the_dead_postmasters_PID_file_names_a_live_process_that_is_not_ours_then_start_replaces_the_file_and_spares_that_process()
    {
        await infra.StartAsync();
        var (postmaster, node) = (infra.PostmasterPid(), infra.RabbitNodePid());
        await infra.CrashAsync(postmaster);
        // The PID came back as another postgres-user program: PostgreSQL itself would refuse to start beside it.
        using var stranger = ForeignProcess.Idle("postgres");
        var lockFile = Path.Combine(infra.PostgresData, "postmaster.pid");
        await File.WriteAllLinesAsync(lockFile, [$"{stranger.Pid}", .. File.ReadLines(lockFile).Skip(1)], TestContext.Current.CancellationToken);

        await infra.StartAsync();

        Assert.True(await infra.PostgresAnswersAsync(), "PostgreSQL answers again");
        Assert.True(stranger.IsAlive, "the process the stale PID file named is left alone");
        await AssertRabbitKeptRunningAsync(node);
    }

    [Fact]
    public async Task When_a_program_that_is_not_ours_holds_the_PostgreSQL_port_then_start_fails_naming_it_and_RabbitMQ_keeps_running()
    {
        await infra.StartAsync();
        var (postmaster, node) = (infra.PostmasterPid(), infra.RabbitNodePid());
        await infra.CrashAsync(postmaster);

        using (var squatter = await ForeignProcess.ListeningAsync(infra.PostgresPort))
        {
            var run = await infra.RunAsync("start");

            Assert.NotEqual(0, run.ExitCode);
            Assert.Contains($"port {infra.PostgresPort} is in use by pid {squatter.Pid}", run.Output, StringComparison.Ordinal);
            Assert.Contains("which is not ours", run.Output, StringComparison.Ordinal);
            Assert.True(squatter.IsAlive, "the foreign listener is left alone");
            await AssertRabbitKeptRunningAsync(node);
        }

        await infra.StartAsync();
        Assert.True(await infra.PostgresAnswersAsync(), "PostgreSQL answers once the port is free");
    }

    [Fact]
    public async Task When_the_RabbitMQ_node_and_epmd_are_killed_then_start_brings_them_back_ignoring_PID_files_that_name_other_processes()
    {
        await infra.StartAsync();
        var (postmaster, node, epmd) = (infra.PostmasterPid(), infra.RabbitNodePid(), infra.EpmdPid());
        await infra.CrashAsync(node, LinuxProcesses.ParentOf(node), epmd);
        // Their PIDs came back as other programs: start must neither take them for the broker nor signal them.
        using var stranger = ForeignProcess.Idle("root");
        await File.WriteAllTextAsync(Path.Combine(infra.RabbitDirectory, "rabbit.pid"), $"{stranger.Pid}", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(infra.RabbitDirectory, "epmd.pid"), $"{stranger.Pid}", TestContext.Current.CancellationToken);

        await infra.StartAsync();

        Assert.NotEqual(node, infra.RabbitNodePid());
        Assert.True(await infra.RabbitAnswersAsync(), "RabbitMQ answers again");
        Assert.True(stranger.IsAlive, "the process the stale PID files named is left alone");
        await AssertPostgresKeptRunningAsync(postmaster);
    }

    [Fact]
    public async Task When_only_the_RabbitMQ_node_is_killed_then_start_brings_it_back_registered_with_the_epmd_that_still_runs()
    {
        await infra.StartAsync();
        var (postmaster, node, epmd) = (infra.PostmasterPid(), infra.RabbitNodePid(), infra.EpmdPid());
        await infra.CrashAsync(node);

        await infra.StartAsync();

        Assert.NotEqual(node, infra.RabbitNodePid());
        Assert.Equal(epmd, infra.EpmdPid());
        Assert.True(await infra.RabbitAnswersAsync(), "RabbitMQ answers again");
        await Eventually.Until(EpmdKnowsTheNodeAsync, "the new node is registered with the surviving epmd");
        await AssertPostgresKeptRunningAsync(postmaster);
    }

    [Fact]
    public async Task When_only_epmd_is_killed_then_start_brings_it_back_and_the_running_node_registers_again()
    {
        await infra.StartAsync();
        var (postmaster, node, epmd) = (infra.PostmasterPid(), infra.RabbitNodePid(), infra.EpmdPid());
        await infra.CrashAsync(epmd);

        await infra.StartAsync();

        Assert.NotEqual(epmd, infra.EpmdPid());
        await Eventually.Until(EpmdKnowsTheNodeAsync, "the running node registers with the new epmd");
        await AssertRabbitKeptRunningAsync(node);
        await AssertPostgresKeptRunningAsync(postmaster);
    }

    [Fact]
    public async Task When_a_program_that_is_not_ours_holds_the_AMQP_port_then_start_fails_naming_it_and_stops_nothing_that_ran_before()
    {
        await infra.StartAsync();
        var (postmaster, node, epmd) = (infra.PostmasterPid(), infra.RabbitNodePid(), infra.EpmdPid());
        await infra.CrashAsync(node);

        using (var squatter = await ForeignProcess.ListeningAsync(infra.AmqpPort))
        {
            var run = await infra.RunAsync("start");

            Assert.True(run.ExitCode != 0, $"start succeeded though a foreign program held the AMQP port:\n{run.Output}");
            Assert.Contains($"port {infra.AmqpPort} is in use by pid {squatter.Pid}", run.Output, StringComparison.Ordinal);
            Assert.True(squatter.IsAlive, "the foreign listener is left alone");
            Assert.Equal(epmd, infra.EpmdPid());
            await AssertPostgresKeptRunningAsync(postmaster);
        }

        await infra.StartAsync();
        Assert.True(await infra.RabbitAnswersAsync(), "RabbitMQ answers once the port is free");
        await AssertPostgresKeptRunningAsync(postmaster);
    }

    private async Task AssertRabbitKeptRunningAsync(int node)
    {
        Assert.Equal(node, infra.RabbitNodePid());
        Assert.True(await infra.RabbitAnswersAsync(), "RabbitMQ still answers");
    }

    private async Task AssertPostgresKeptRunningAsync(int postmaster)
    {
        Assert.Equal(postmaster, infra.PostmasterPid());
        Assert.True(await infra.PostgresAnswersAsync(), "PostgreSQL still answers");
    }

    private async Task<bool> BackendIsActiveAsync(int backend)
    {
        await using var connection = new NpgsqlConnection(infra.PostgresConnectionString);
        await connection.OpenAsync();
        await using var state = new NpgsqlCommand("SELECT state FROM pg_stat_activity WHERE pid = @pid", connection);
        state.Parameters.AddWithValue("pid", backend);
        return (string?)await state.ExecuteScalarAsync() == "active";
    }

    private async Task<bool> EpmdKnowsTheNodeAsync()
    {
        var names = new ProcessStartInfo("epmd") { RedirectStandardOutput = true, ArgumentList = { "-port", $"{infra.EpmdPort}", "-names" } };
        using var process = Process.Start(names) ?? throw new InvalidOperationException("epmd did not start");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output.Contains("name rabbit at port", StringComparison.Ordinal);
    }
}

/// <summary>The recovery tests start, crash and restart real servers against timeouts: they run after this project's
/// other classes rather than beside them (a RabbitMQ start under that extra load once outlasted its ready timeout).</summary>
[CollectionDefinition(nameof(InfraRecoveryTests), DisableParallelization = true)]
public sealed class InfraRecoveryCollection;
