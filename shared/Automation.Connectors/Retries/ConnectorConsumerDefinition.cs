using Automation.Hosting;
using Automation.Messaging.Postgres;
using MassTransit;
using MassTransit.RetryPolicies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Automation.Connectors;

/// <summary>The policy of every consumer that calls an external system: the inbox policy of every consumer service, on
/// the command's queue (<see cref="Automation.Contracts.StepCommandQueues"/>), with the connectors' retries
/// (<see cref="ConnectorRetryOptions"/>): a <see cref="TransientStepException"/> is retried at once, then redelivered later
/// through the service's durable scheduler, never sooner than the system's <c>Retry-After</c> (a failure that names one
/// skips the immediate stage); a <see cref="PermanentStepException"/> faults at once.</summary>
public abstract class ConnectorConsumerDefinition<TConsumer, TDbContext> : InboxConsumerDefinition<TConsumer, TDbContext>
    where TConsumer : class, IConsumer
    where TDbContext : DbContext
{
    protected ConnectorConsumerDefinition(string queue) => EndpointName = queue;

    protected override void ConfigureRetries(IReceiveEndpointConfigurator endpoint, IRegistrationContext context)
    {
        var options = context.GetRequiredService<IOptions<ConnectorRetryOptions>>().Value;
        endpoint.UseScheduledRedelivery(redelivery =>
        {
            redelivery.Ignore<PermanentStepException>();
            // An unreachable database is no reason to delay the message: the endpoint pauses and it comes back afterwards.
            redelivery.Ignore<Exception>(DatabaseOutage.IsOutage);
            redelivery.SetRetryPolicy(filter => new RetryAfterRetryPolicy(
                new IntervalRetryPolicy(filter, options.RedeliveryIntervals), options.MaxRetryAfter));
        });
        endpoint.UseMessageRetry(retry =>
        {
            retry.Ignore<PermanentStepException>();
            retry.Ignore<TransientStepException>(failure => failure.RetryAfter is not null);
            retry.Intervals(options.ImmediateIntervals);
        });
    }
}
