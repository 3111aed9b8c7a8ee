using Automation.Hosting;
using Automation.Messaging.Postgres;
using Automation.ServiceDefaults;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Automation.Connectors;

public static class ConnectorServiceExtensions
{
    /// <summary>The shape of a connector service (CrmSync, CiTrigger, Notifier): a service whose consumers run behind the
    /// inbox, with its own durable scheduler (<c>{service}-scheduler</c>: delayed redelivery never depends on another
    /// service), the connector options (<see cref="ConnectorHttpOptions"/>, <see cref="ConnectorRetryOptions"/>, validated at
    /// start) and <see cref="StepOutcomes"/> on <typeparamref name="TDbContext"/>, whose model calls
    /// <see cref="ConnectorModelExtensions.AddConnectorTables"/>. The service adds its consumers and its typed HTTP clients
    /// (<see cref="ConnectorHttpClientExtensions.AddConnectorHttpClient{TClient}"/>).</summary>
    public static IHostApplicationBuilder AddConnectorService<TDbContext>(this IHostApplicationBuilder builder, string serviceName,
        string schema, Action<IBusRegistrationConfigurator> consumers)
        where TDbContext : DbContext
    {
        builder.Services.AddValidatedOptions<ConnectorHttpOptions>(ConnectorHttpOptions.SectionName);
        builder.Services.AddValidatedOptions<ConnectorRetryOptions>(ConnectorRetryOptions.SectionName);
        builder.Services.AddScoped(provider => new StepOutcomes(provider.GetRequiredService<TDbContext>(),
            provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<IOptions<ConnectorRetryOptions>>().Value));
        builder.AddAutomationMessaging<TDbContext>(serviceName, schema, bus =>
        {
            bus.AddPostgresMessageScheduler<TDbContext>($"{serviceName}-scheduler");
            consumers(bus);
        });
        return builder;
    }
}
