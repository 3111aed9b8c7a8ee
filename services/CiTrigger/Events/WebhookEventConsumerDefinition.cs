using Automation.CiTrigger.Persistence;
using Automation.Messaging;
using Automation.Messaging.Postgres;
using MassTransit;

namespace Automation.CiTrigger.Events;

/// <summary>Delivery policy of <see cref="WebhookEventConsumer"/>: retries in a fresh scope each, then the inbox (each
/// MessageId once, outgoing messages after commit), 32 messages in flight; a database outage pauses the endpoint instead of
/// failing messages.</summary>
public sealed class WebhookEventConsumerDefinition : ConsumerDefinition<WebhookEventConsumer>
{
    public WebhookEventConsumerDefinition() => Endpoint(endpoint => endpoint.PrefetchCount = InboxEndpointDefaults.PrefetchCount);

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<WebhookEventConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        // Retry first, so every attempt gets its own scope and DbContext.
        endpointConfigurator.UseMessageRetry(retry => retry.Intervals(100, 500, 1000));
        endpointConfigurator.PauseWhileDatabaseUnavailable();
        endpointConfigurator.UsePostgresInboxOutbox<CiTriggerDbContext>(context);
    }
}
