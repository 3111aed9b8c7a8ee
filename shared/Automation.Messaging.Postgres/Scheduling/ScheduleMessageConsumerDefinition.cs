using MassTransit;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Automation.Messaging.Postgres;

/// <summary>The scheduler queue's policy. A lost schedule is a saga timeout that never fires, so a command that met an
/// unreachable database goes back to the queue (and the endpoint pauses) instead of to the error queue; other transient
/// database errors are retried; an unsupported (recurring) or malformed command faults at once. No inbox: two different
/// schedule commands may carry the same MessageId (each scheduled redelivery keeps the original's), and the store is
/// idempotent per schedule token anyway.</summary>
internal sealed class ScheduleMessageConsumerDefinition<TDbContext> : ConsumerDefinition<ScheduleMessageConsumer<TDbContext>>
    where TDbContext : DbContext
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ScheduleMessageConsumer<TDbContext>> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(retry =>
        {
            retry.Handle<NpgsqlException>(exception => exception.IsTransient);
            retry.Handle<TimeoutException>();
            retry.Intervals(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2));
        });
        endpointConfigurator.PauseWhileDatabaseUnavailable();
    }
}
