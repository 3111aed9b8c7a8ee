using Automation.Contracts;
using Automation.EndToEnd.Tests.Infrastructure;

namespace Automation.EndToEnd.Tests;

/// <summary>A service told to stop (SIGTERM, as Kubernetes and compose stop a container) while a consumer works: it takes no
/// new message, lets the one in hand finish (its call, its commit with the outcome in the outbox, its acknowledgement) within
/// <c>RabbitMq:DrainTimeout</c>, then exits; past that timeout the message goes back to its queue, never lost. CrmSync runs as
/// a process of its own against a HubSpot (WireMock.Net) that answers slowly.</summary>
public sealed class ShutdownDrainTests : IAsyncLifetime
{
    private const string Queue = StepCommandQueues.UpsertCrmContact;

    private readonly PostgresDatabase _database = new();
    private readonly RabbitMqVirtualHost _virtualHost = new();
    private readonly SlowHubSpot _hubSpot = new("5101");
    private StepProbe _probe = null!;

    public async ValueTask InitializeAsync()
    {
        await Task.WhenAll(_database.InitializeAsync().AsTask(), _virtualHost.InitializeAsync().AsTask());
        _probe = await StepProbe.StartAsync(_virtualHost);
    }

    [Fact]
    public async Task SIGTERM_while_a_consumer_waits_on_a_slow_call_lets_it_finish_commit_acknowledge_and_send_its_outcome_before_exiting()
    {
        var step = NewStep();
        _hubSpot.Delay = TimeSpan.FromSeconds(3);
        await using var crmSync = await StartCrmSyncAsync(drainTimeout: TimeSpan.FromSeconds(20));

        await _probe.SendAsync(Queue, new UpsertCrmContact(step, "ada@example.com", "Ada Lovelace", new Dictionary<string, string>()));
        await Eventually.Until(() => _hubSpot.CallsArrived == 1, "CrmSync's call to HubSpot is in flight");
        var exitCode = await crmSync.TerminateAsync(TimeSpan.FromSeconds(40));

        Assert.True(exitCode == 0, $"CrmSync exited {exitCode}:{Environment.NewLine}{crmSync.Output}");
        Assert.Equal(1, _hubSpot.CallsAnswered);
        Assert.Equal(0u, await _virtualHost.MessageCount(Queue));
        // The outcome, committed to the bus outbox with the inbox row while the endpoint drained, was sent before the process
        // exited: no instance of CrmSync runs now.
        Assert.Equal("5101", (await _probe.Succeeded(step)).ExternalReference);
        Assert.Equal(1, _hubSpot.CallsArrived);
        Assert.Single(_probe.Received<StepSucceeded>(), succeeded => succeeded.Step == step);
    }

    [Fact]
    public async Task A_consumer_that_outlasts_the_drain_timeout_is_cancelled_and_its_message_waits_in_the_queue_for_the_next_instance()
    {
        var step = NewStep();
        _hubSpot.Delay = TimeSpan.FromMinutes(2);
        await using var crmSync = await StartCrmSyncAsync(drainTimeout: TimeSpan.FromSeconds(2));

        await _probe.SendAsync(Queue, new UpsertCrmContact(step, "ada@example.com", "Ada Lovelace", new Dictionary<string, string>()));
        await Eventually.Until(() => _hubSpot.CallsArrived == 1, "CrmSync's call to HubSpot is in flight");
        var stopping = System.Diagnostics.Stopwatch.StartNew();
        await crmSync.TerminateAsync(TimeSpan.FromSeconds(30));

        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(20), $"CrmSync took {stopping.Elapsed} to stop with a 2 s drain");
        Assert.Equal(1u, await _virtualHost.MessageCount(Queue));
        _hubSpot.Delay = TimeSpan.Zero;
        await using var again = await StartCrmSyncAsync(drainTimeout: TimeSpan.FromSeconds(20));
        Assert.Equal("5101", (await _probe.Succeeded(step)).ExternalReference);
    }

    private static StepIdentity NewStep() =>
        new(Guid.NewGuid(), ServiceSettings.Source, $"evt_{Guid.NewGuid():N}", "drain", 1, 1);

    private async Task<ServiceProcess> StartCrmSyncAsync(TimeSpan drainTimeout)
    {
        var settings = ServiceSettings.CrmSync(new ServiceSettings.Shared(_database, _virtualHost), _hubSpot.BaseUrl, TimeSpan.FromMinutes(3));
        settings["RabbitMq:DrainTimeout"] = drainTimeout.ToString();
        var crmSync = ServiceProcess.Start("CrmSync", "Automation.CrmSync", settings);
        await Eventually.Until(async () => crmSync.HasExited || await _virtualHost.ConsumerCount(Queue) > 0,
            "CrmSync consumes its queue", TimeSpan.FromSeconds(60));
        Assert.False(crmSync.HasExited, $"CrmSync exited at start:{Environment.NewLine}{crmSync.Output}");
        return crmSync;
    }

    public async ValueTask DisposeAsync()
    {
        if (_probe is not null)
        {
            await _probe.DisposeAsync();
        }

        _hubSpot.Dispose();
        await _virtualHost.DisposeAsync();
        await _database.DisposeAsync();
    }
}
