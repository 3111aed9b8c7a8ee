using Automation.Messaging.Postgres;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Automation.Hosting;

/// <summary>The inbox policy of <see cref="InboxConsumerDefinition{TConsumer,TDbContext}"/> for a saga: retries first (each
/// attempt in its own scope), an endpoint that pauses while PostgreSQL is unreachable, and the inbox of
/// <typeparamref name="TDbContext"/>, so the saga's row, the inbox row and what the saga sends commit together.</summary>
public abstract class InboxSagaDefinition<TSaga, TDbContext> : SagaDefinition<TSaga>
    where TSaga : class, ISaga
    where TDbContext : DbContext
{
    protected InboxSagaDefinition() => Endpoint(endpoint => endpoint.PrefetchCount = InboxEndpointDefaults.PrefetchCount);

    protected sealed override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator, ISagaConfigurator<TSaga> sagaConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(retry => retry.Intervals(InboxConsumerDefinition.RetryIntervals));
        endpointConfigurator.PauseWhileDatabaseUnavailable();
        endpointConfigurator.UsePostgresInboxOutbox<TDbContext>(context);
    }
}
