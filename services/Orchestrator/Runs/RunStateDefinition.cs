using Automation.Hosting;
using Automation.Messaging.Postgres;
using Automation.Orchestrator.Persistence;
using MassTransit;

namespace Automation.Orchestrator.Runs;

/// <summary>Delivery policy of the runs, on queue <c>orchestrator-runs</c>: the inbox policy of every consumer (retries
/// first, each attempt in its own scope; a pause while PostgreSQL is unreachable; each MessageId once), so a run's row,
/// the inbox row and the commands and timeouts it sends commit together. Row locks (the repository's default) queue
/// the messages of one run instead of failing them.</summary>
public sealed class RunStateDefinition : SagaDefinition<RunState>
{
    public const string Queue = OrchestratorApplication.ServiceName + "-runs";

    public RunStateDefinition()
    {
        EndpointName = Queue;
        Endpoint(endpoint => endpoint.PrefetchCount = InboxEndpointDefaults.PrefetchCount);
    }

    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator, ISagaConfigurator<RunState> sagaConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(retry => retry.Intervals(100, 500, 1000));
        endpointConfigurator.PauseWhileDatabaseUnavailable();
        endpointConfigurator.UsePostgresInboxOutbox<OrchestratorDbContext>(context);
    }
}
