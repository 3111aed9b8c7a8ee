using Automation.Messaging.Postgres;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Automation.Hosting;

/// <summary>The delivery policy every consumer behind the inbox shares: retries first (each attempt in its own scope and
/// DbContext), then the inbox of <typeparamref name="TDbContext"/> (each MessageId once, outgoing messages after commit),
/// <see cref="InboxEndpointDefaults.PrefetchCount"/> messages in flight, and an endpoint that pauses while PostgreSQL is
/// unreachable instead of failing its messages. A consumer's own definition derives from this and changes only what
/// differs, e.g. its retries.</summary>
public abstract class InboxConsumerDefinition<TConsumer, TDbContext> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
    where TDbContext : DbContext
{
    protected InboxConsumerDefinition() => Endpoint(endpoint => endpoint.PrefetchCount = InboxEndpointDefaults.PrefetchCount);

    protected sealed override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TConsumer> consumerConfigurator, IRegistrationContext context)
    {
        ConfigureAdmission(endpointConfigurator, context);
        // Retry first, so every attempt gets its own scope and DbContext.
        ConfigureRetries(endpointConfigurator, context);
        endpointConfigurator.PauseWhileDatabaseUnavailable();
        endpointConfigurator.UsePostgresInboxOutbox<TDbContext>(context);
    }

    /// <summary>What a message passes before anything else, outside the retries and the inbox's transaction (e.g. a wait
    /// for room downstream, which holds no connection while it waits). Nothing by default.</summary>
    protected virtual void ConfigureAdmission(IReceiveEndpointConfigurator endpoint, IRegistrationContext context)
    {
    }

    /// <summary>Immediate retries for what a moment cures (a serialization failure, a deadlock); override for more.</summary>
    protected virtual void ConfigureRetries(IReceiveEndpointConfigurator endpoint, IRegistrationContext context) =>
        endpoint.UseMessageRetry(retry => retry.Intervals(InboxConsumerDefinition.RetryIntervals));
}

/// <summary>What the inbox definitions share.</summary>
public static class InboxConsumerDefinition
{
    /// <summary>Immediate retries, in milliseconds, for what a moment cures (a serialization failure, a deadlock).</summary>
    public static readonly int[] RetryIntervals = [100, 500, 1000];
}
