using MassTransit;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Automation.Messaging.Postgres;

/// <summary>The scheduler queue's policy: a command that failed on a database error is retried patiently (a lost schedule
/// is a saga timeout that never fires); an unsupported (recurring) or malformed command faults at once. No inbox: two
/// different schedule commands may carry the same MessageId (each scheduled redelivery keeps the original's), and the
/// store is idempotent per schedule token anyway.</summary>
internal sealed class ScheduleMessageConsumerDefinition<TDbContext> : ConsumerDefinition<ScheduleMessageConsumer<TDbContext>>
    where TDbContext : DbContext
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ScheduleMessageConsumer<TDbContext>> consumerConfigurator, IRegistrationContext context) =>
        endpointConfigurator.UseMessageRetry(retry =>
        {
            retry.Handle<NpgsqlException>(exception => exception.IsTransient);
            retry.Handle<DbUpdateException>();
            retry.Handle<TimeoutException>();
            retry.Exponential(10, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1));
        });
}
