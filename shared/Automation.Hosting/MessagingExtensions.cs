using Automation.ServiceDefaults;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Automation.Hosting;

public static class MessagingExtensions
{
    /// <summary>Adds MassTransit over RabbitMQ with our conventions: kebab-case queue names prefixed by the service, every registered
    /// consumer's endpoint configured from its definition, and MassTransit's usage telemetry off (it would post host details
    /// to its vendor; MassTransit's own <c>MASSTRANSIT_USAGE_TELEMETRY=true</c> turns it back on).</summary>
    /// <param name="publishes">The message types the service publishes. Their exchanges, and the bindings to the exchanges
    /// of the interfaces they implement, are declared when the bus starts: a message the bus outbox delivers later is a
    /// plain send to its type's exchange, which would not declare those bindings, and consumers of an interface (e.g.
    /// <c>IWebhookEvent</c>) would never see it.</param>
    public static TBuilder AddAutomationMessaging<TBuilder>(this TBuilder builder, string serviceName,
        Action<IBusRegistrationConfigurator> configure, IReadOnlyCollection<Type>? publishes = null)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddValidatedOptions<RabbitMqOptions>(RabbitMqOptions.SectionName);
        builder.Services.AddMassTransit(bus =>
        {
            // The service name prefixes every queue, so consumers of the same event in two services never share a queue.
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(serviceName, includeNamespace: false));
            bus.DisableUsageTelemetry();
            configure(bus);
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(context.GetRequiredService<IOptions<RabbitMqOptions>>().Value.Uri);
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
