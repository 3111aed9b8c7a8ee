using Automation.Contracts;
using Automation.Hosting;
using Automation.Orchestrator.Persistence;
using Automation.Orchestrator.Rules;
using Automation.Orchestrator.Runs;
using MassTransit;

namespace Automation.Orchestrator.Events;

/// <summary>Delivery policy of <see cref="StartRunsConsumer{TEvent}"/>: the shared inbox policy, on a queue of its own per
/// event type, e.g. <c>orchestrator-content-state-changed</c>, with <see cref="EventsInFlight"/> messages at once.</summary>
public sealed class StartRunsConsumerDefinition<TEvent> : InboxConsumerDefinition<StartRunsConsumer<TEvent>, OrchestratorDbContext>
    where TEvent : class, IWebhookEvent
{
    /// <summary>Events each event type's endpoint opens runs for at once: the four endpoints together take as many
    /// messages at once as the runs' endpoint alone. Opening runs and moving the open runs on share the service's cores
    /// and its connection pool (100 connections by default, one per message in flight): with 32 each, the event endpoints
    /// alone could hold 128, and a rise in the rate of events opened runs faster than their results were taken in. The
    /// split assumes a mix of types: traffic of one type alone has 8 at once, which under full contention for the cores
    /// passes about 100 events a second (docs/benchmarks.md), near what two cores sustain anyway.</summary>
    public const int EventsInFlight = InboxEndpointDefaults.PrefetchCount / 4;

    public StartRunsConsumerDefinition()
    {
        EndpointName = $"{OrchestratorApplication.ServiceName}-{EventContracts.TypeOf(typeof(TEvent)).Replace('.', '-').Replace('_', '-')}";
        Endpoint(endpoint => endpoint.PrefetchCount = EventsInFlight);
    }

    /// <summary>New runs wait while the runs' endpoint is busy with the open ones (<see cref="RunsEndpointRoom"/>).</summary>
    protected override void ConfigureAdmission(IReceiveEndpointConfigurator endpoint, IRegistrationContext context) =>
        endpoint.UseFilter(new WaitForRunsRoomFilter(context.GetRequiredService<RunsEndpointRoom>(), context.GetRequiredService<TimeProvider>()));
}
