using Automation.Hosting;
using MassTransit;

namespace Automation.Messaging.Postgres.CrashHost;

public sealed record ProcessCrashOrder(Guid OrderId);

/// <summary>Records its effect; behind the inbox, as every consumer of our services.</summary>
public sealed class ProcessCrashOrderConsumer(CrashDbContext dbContext) : IConsumer<ProcessCrashOrder>
{
    public Task Consume(ConsumeContext<ProcessCrashOrder> context)
    {
        dbContext.Effects.Add(new CrashEffect { Id = Guid.NewGuid(), OrderId = context.Message.OrderId });
        return Task.CompletedTask;
    }
}

/// <summary>The services' inbox policy, on a queue the tests know.</summary>
public sealed class ProcessCrashOrderConsumerDefinition : InboxConsumerDefinition<ProcessCrashOrderConsumer, CrashDbContext>
{
    public const string Queue = "crash-host-orders";

    public ProcessCrashOrderConsumerDefinition()
    {
        EndpointName = Queue;
        Endpoint(endpoint =>
        {
            // One message in flight: the crash after the first consume leaves the others untouched in the queue.
            endpoint.PrefetchCount = 1;
            endpoint.ConcurrentMessageLimit = 1;
        });
    }
}
