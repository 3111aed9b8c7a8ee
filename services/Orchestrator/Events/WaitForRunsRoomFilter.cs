using Automation.Orchestrator.Runs;
using MassTransit;

namespace Automation.Orchestrator.Events;

/// <summary>Holds an event, before its retries and its transaction, until the runs' endpoint has room for more runs.</summary>
public sealed class WaitForRunsRoomFilter(RunsEndpointRoom room, TimeProvider time) : IFilter<ConsumeContext>
{
    public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        await room.WaitForRoomAsync(time, context.CancellationToken);
        await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("waitForRunsRoom");
}
