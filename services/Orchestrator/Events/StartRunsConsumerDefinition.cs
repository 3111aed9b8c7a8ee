using Automation.Contracts;
using Automation.Hosting;
using Automation.Orchestrator.Persistence;
using Automation.Orchestrator.Rules;

namespace Automation.Orchestrator.Events;

/// <summary>Delivery policy of <see cref="StartRunsConsumer{TEvent}"/>: the shared inbox policy, on a queue of its own per
/// event type, e.g. <c>orchestrator-content-state-changed</c>.</summary>
public sealed class StartRunsConsumerDefinition<TEvent> : InboxConsumerDefinition<StartRunsConsumer<TEvent>, OrchestratorDbContext>
    where TEvent : class, IWebhookEvent
{
    public StartRunsConsumerDefinition() =>
        EndpointName = $"{OrchestratorApplication.ServiceName}-{EventContracts.TypeOf(typeof(TEvent)).Replace('.', '-').Replace('_', '-')}";
}
