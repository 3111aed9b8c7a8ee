using Automation.Messaging.Postgres;
using Automation.ServiceDefaults;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Automation.Hosting;

public static class MessagingExtensions
{
    /// <summary>How long consumers whose token was cancelled at the end of the drain get to give up before the bus stops.</summary>
    private static readonly TimeSpan CancelledConsumersGrace = TimeSpan.FromSeconds(5);

    /// <summary>The last bus outbox delivery passes as the endpoints stop (the bus's own endpoint after the others).</summary>
    private static readonly TimeSpan FinalDelivery = PostgresBusOutboxConfigurator.FinalDeliveryTimeout * 2;

    /// <summary>Adds MassTransit over RabbitMQ with our conventions: kebab-case queue names prefixed by the service, every registered
    /// consumer's endpoint configured from its definition (quorum queues when <c>RabbitMq:QuorumQueues</c>), a drain of the
    /// messages in hand on shutdown bounded by <c>RabbitMq:DrainTimeout</c>, the topology declared alone by the
    /// <c>deploy-topology</c> command (<see cref="TopologyDeployment"/>), and MassTransit's usage telemetry off (it would post
    /// host details to its vendor; MassTransit's own <c>MASSTRANSIT_USAGE_TELEMETRY=true</c> turns it back on).</summary>
    /// <param name="publishes">The message types the service publishes. Their exchanges, and the bindings to the exchanges
    /// of the interfaces they implement, are declared when the bus starts: a message the bus outbox delivers later is a
    /// plain send to its type's exchange, which would not declare those bindings, and consumers of an interface (e.g.
    /// <c>IWebhookEvent</c>) would never see it.</param>
    public static TBuilder AddAutomationMessaging<TBuilder>(this TBuilder builder, string serviceName,
        Action<IBusRegistrationConfigurator> configure, IReadOnlyCollection<Type>? publishes = null)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddValidatedOptions<RabbitMqOptions>(RabbitMqOptions.SectionName);
        var deployTopologyOnly = TopologyDeployment.IsRequested(builder.Configuration);
        builder.Services.AddOptions<MassTransitHostOptions>().Configure<IOptions<RabbitMqOptions>>((host, rabbit) =>
        {
            // Stop taking messages, let those in hand finish, then cancel their token and give them a moment to give up.
            host.ConsumerStopTimeout = rabbit.Value.DrainTimeout;
            host.StopTimeout = rabbit.Value.DrainTimeout + CancelledConsumersGrace + FinalDelivery;
        });
        // The host abandons its services' stop after its own timeout (30 s by default): it must outlast the bus's drain.
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<RabbitMqOptions>>((host, rabbit) =>
            host.ShutdownTimeout = TimeSpan.FromTicks(Math.Max(host.ShutdownTimeout.Ticks,
                (rabbit.Value.DrainTimeout + CancelledConsumersGrace + FinalDelivery + CancelledConsumersGrace).Ticks)));
        builder.Services.AddMassTransit(bus =>
        {
            // The service name prefixes every queue, so consumers of the same event in two services never share a queue.
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(serviceName, includeNamespace: false));
            bus.DisableUsageTelemetry();
            bus.AddConfigureEndpointsCallback((context, _, endpoint) =>
            {
                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit
                    && context.GetRequiredService<IOptions<RabbitMqOptions>>().Value.QuorumQueues)
                {
                    rabbit.SetQuorumQueue();
                }
            });
            configure(bus);
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(context.GetRequiredService<IOptions<RabbitMqOptions>>().Value.Uri);
                rabbit.DeployTopologyOnly = deployTopologyOnly;
                if (publishes is { Count: > 0 })
                {
                    rabbit.DeployPublishTopology = true;
                    rabbit.AddPublishMessageTypes(publishes);
                }

                rabbit.ConfigureEndpoints(context);
            });
        });
        return builder;
    }
}
