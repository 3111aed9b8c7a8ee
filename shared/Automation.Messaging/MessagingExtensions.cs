using Automation.ServiceDefaults;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Automation.Messaging;

public static class MessagingExtensions
{
    /// <summary>Adds MassTransit over RabbitMQ with our conventions: kebab-case queue names prefixed by the service and every registered
    /// consumer's endpoint configured from its definition.</summary>
    public static TBuilder AddAutomationMessaging<TBuilder>(
        this TBuilder builder, string serviceName, Action<IBusRegistrationConfigurator> configure)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddValidatedOptions<RabbitMqOptions>(RabbitMqOptions.SectionName);
        builder.Services.AddMassTransit(bus =>
        {
            // The service name prefixes every queue, so consumers of the same event in two services never share a queue.
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(serviceName, includeNamespace: false));
            configure(bus);
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(context.GetRequiredService<IOptions<RabbitMqOptions>>().Value.Uri);
                rabbit.ConfigureEndpoints(context);
            });
        });
        return builder;
    }
}
