using MassTransit;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Automation.Messaging.Postgres;

/// <summary>The scheduler queue's policy: a command that failed on a database error is retried, then redelivered by the
/// broker; an unsupported (recurring) command faults at once. No inbox: two different schedule commands may carry the
/// same MessageId (each scheduled redelivery keeps the original's), and the store is idempotent per token anyway.</summary>
internal sealed class ScheduleMessageConsumerDefinition<TDbContext> : ConsumerDefinition<ScheduleMessageConsumer<TDbContext>>
    where TDbContext : DbContext
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ScheduleMessageConsumer<TDbContext>> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(retry =>
        {
            retry.Ignore<NotSupportedException>();
            retry.Ignore<ArgumentException>();
            retry.Handle<NpgsqlException>();
            retry.Handle<DbUpdateException>();
            retry.Exponential(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(500));
        });
    }
}
