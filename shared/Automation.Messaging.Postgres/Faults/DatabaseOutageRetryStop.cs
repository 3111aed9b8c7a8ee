using MassTransit;
using MassTransit.Configuration;

namespace Automation.Messaging.Postgres;

/// <summary>Placed inside an endpoint's message retry by <c>PauseWhileDatabaseUnavailable</c>: a message that failed because
/// PostgreSQL is unreachable is not retried. Each attempt would only wait for its connection to fail again, and the kill
/// switch counts a failure only once the retries are spent, so the endpoint would notice the outage minutes late.
/// MassTransit's retry filter does not retry a failure whose context already carries a retry context (an inner retry that
/// gave up); an outage is marked that way.</summary>
internal sealed class DatabaseOutageRetryStop : ConfigurationObserver, IMessageConfigurationObserver
{
    public DatabaseOutageRetryStop(IConsumePipeConfigurator configurator)
        : base(configurator) =>
        Connect(this);

    public void MessageConfigured<TMessage>(IConsumePipeConfigurator configurator)
        where TMessage : class =>
        configurator.AddPipeSpecification(new FilterPipeSpecification<ConsumeContext<TMessage>>(new NoRetryOnOutageFilter<TMessage>()));

    private sealed class NoRetryOnOutageFilter<TMessage> : IFilter<ConsumeContext<TMessage>>
        where TMessage : class
    {
        public async Task Send(ConsumeContext<TMessage> context, IPipe<ConsumeContext<TMessage>> next)
        {
            try
            {
                await next.Send(context);
            }
            catch (Exception exception) when (DatabaseOutage.IsOutage(exception))
            {
                using var givenUp = Retry.None.CreatePolicyContext(context);
                givenUp.CanRetry(exception, out var retryContext);
                context.GetOrAddPayload(() => retryContext);
                throw;
            }
        }

        public void Probe(ProbeContext context) => context.CreateFilterScope("no-retry-on-database-outage");
    }
}
