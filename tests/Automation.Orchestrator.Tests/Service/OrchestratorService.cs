using Automation.Messaging.Postgres;
using Automation.Orchestrator.Events;
using Automation.Orchestrator.Persistence;
using Automation.Orchestrator.Runs;
using Automation.Testing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Orchestrator.Tests.Service;

/// <summary>One Orchestrator for a test class, in the test process, on its own database and virtual host, with the
/// shipped rules plus <see cref="ExtraSettings"/>, and the scripted connectors answering its commands.</summary>
public class OrchestratorService : IAsyncLifetime
{
    public PostgresDatabase Database { get; } = new();

    public RabbitMqVirtualHost VirtualHost { get; } = new();

    public ConnectorStandIns Connectors { get; private set; } = null!;

    public IServiceProvider Services => _factory!.Services;

    private ServiceFactory<RunState>? _factory;

    /// <summary>The step timeout of this class's service.</summary>
    protected virtual TimeSpan StepTimeout => TimeSpan.FromMinutes(1);

    protected virtual Dictionary<string, string> ExtraSettings() => [];

    /// <summary>Whether the scripted connectors start with the service (their queues then exist before any command is
    /// sent); when not, a test starts them with <see cref="StartConnectorsAsync"/>.</summary>
    protected virtual bool ConnectorsFromStart => true;

    public async ValueTask InitializeAsync()
    {
        await Database.InitializeAsync();
        await VirtualHost.InitializeAsync();
        var settings = new Dictionary<string, string>
        {
            ["RabbitMq:Uri"] = VirtualHost.Uri.ToString(),
            ["ConnectionStrings:Automation"] = Database.ConnectionString,
            ["Automation:StepTimeout"] = StepTimeout.ToString(),
            // Every trace sampled where it starts: a compensating run of these services then never takes from the process's
            // budget of traces turned on from the middle, which the run state machine's tracing test relies on.
            ["Telemetry:MaxTracesPerSecond"] = "0",
        };
        foreach (var (key, value) in ExtraSettings())
        {
            settings[key] = value;
        }

        _factory = new ServiceFactory<RunState>(settings);
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        // Ready as after a deployment: its queues exist and are bound, so nothing published from now on misses them.
        await Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, timeout.Token);
        if (ConnectorsFromStart)
        {
            await StartConnectorsAsync();
        }
    }

    /// <summary>Starts the scripted connectors: their endpoints declare the command queues and bind them.</summary>
    public async Task StartConnectorsAsync() => Connectors = await ConnectorStandIns.StartAsync(VirtualHost);

    /// <summary>A client of the service's HTTP endpoints (in memory).</summary>
    public HttpClient CreateClient() => _factory!.CreateClient();

    /// <summary>A client of the service's management port (in memory): readiness, metrics, the OpenAPI document.</summary>
    public HttpClient CreateManagementClient() => _factory!.CreateManagementClient();

    public Task Publish<T>(T webhookEvent, Guid? messageId = null)
        where T : class =>
        Connectors.Bus.Publish(webhookEvent, context => context.MessageId = messageId ?? context.MessageId, TestContext.Current.CancellationToken);

    public async Task<T> Query<T>(Func<OrchestratorDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<OrchestratorDbContext>());
    }

    public Task<List<RunState>> RunsOf(string eventId) =>
        Query(db => db.Runs.AsNoTracking().Where(run => run.EventId == eventId).OrderBy(run => run.Rule).ToListAsync());

    public async Task<RunState> WaitForRun(string eventId, string rule, string state, TimeSpan? timeout = null, int number = 1)
    {
        RunState? run = null;
        await Eventually.Until(async () =>
        {
            run = (await RunsOf(eventId)).SingleOrDefault(candidate => candidate.Rule == rule && candidate.Run == number);
            return run?.CurrentState == state;
        }, $"run {number} of {rule} for {eventId} reached {state} (it is {run?.CurrentState ?? "not started"})", timeout);
        return run!;
    }

    public Task<List<EventCopy>> CopiesOf(string eventId) =>
        Query(db => db.Events.AsNoTracking().Where(copy => copy.EventId == eventId).ToListAsync());

    /// <summary>The durable scheduler's messages (step timeouts) of a run.</summary>
    public Task<List<ScheduledDelivery>> TimeoutsOf(Guid runId)
    {
        var id = runId.ToString();
        return Query(db => db.Set<ScheduledDelivery>().AsNoTracking().Where(message => message.Body != null && message.Body.Contains(id)).ToListAsync());
    }

    public Task<InboxState?> InboxRow(Guid messageId) =>
        Query(db => db.Set<InboxState>().AsNoTracking().SingleOrDefaultAsync(inbox => inbox.MessageId == messageId));

    public async ValueTask DisposeAsync()
    {
        if (Connectors is not null)
        {
            await Connectors.DisposeAsync();
        }

        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        await VirtualHost.DisposeAsync();
        await Database.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
