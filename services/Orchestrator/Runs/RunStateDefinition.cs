using Automation.Hosting;
using Automation.Orchestrator.Persistence;

namespace Automation.Orchestrator.Runs;

/// <summary>Delivery policy of the runs, on queue <c>orchestrator-runs</c>: the inbox policy (retries first, each attempt in
/// its own scope; a pause while PostgreSQL is unreachable; each MessageId once), so a run's row, the inbox row and the
/// commands and timeouts it sends commit together. Row locks (the repository's default) queue the messages of one run
/// instead of failing them.</summary>
public sealed class RunStateDefinition : InboxSagaDefinition<RunState, OrchestratorDbContext>
{
    public const string Queue = OrchestratorApplication.ServiceName + "-runs";

    public RunStateDefinition() => EndpointName = Queue;
}
