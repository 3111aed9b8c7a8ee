using System.Diagnostics;
using Automation.Contracts;
using Automation.Ingress.Sources;
using Automation.Ingress.Storage;
using Automation.Ingress.Telemetry;
using Automation.Ingress.Webhooks;
using Automation.Hosting;
using Automation.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Automation.Ingress;

/// <summary>What the Ingress service is made of.</summary>
public static class IngressApplication
{
    public const string ServiceName = "ingress";

    /// <summary>An optional extra JSON file (e.g. a mounted Kubernetes secret) read after every other source and
    /// watched for changes, so sources and secrets can be changed where environment variables cannot.</summary>
    public const string SourcesFileKey = "Ingress:SourcesFile";

    public static IHostApplicationBuilder AddIngress(this IHostApplicationBuilder builder)
    {
        if (builder.Configuration[SourcesFileKey] is { Length: > 0 } sourcesFile)
        {
            builder.Configuration.AddJsonFile(Path.GetFullPath(sourcesFile), optional: false, reloadOnChange: true);
        }

        var services = builder.Services;
        AddSources(services);
        services.AddValidatedOptions<OutboxLimitOptions>(OutboxLimitOptions.SectionName);
        services.AddValidatedOptions<RetentionOptions>(RetentionOptions.SectionName);
        services.AddHostedService<EventRetentionService>();
        services.AddSingleton<IngressTelemetry>();
        services.AddSingleton<DistributedContextPropagator, SenderTraceContext>();
        services.AddSingleton<OutboxAdmission>();
        services.AddSingleton<EventsTable>();
        services.AddSingleton<EventWriter>();
        services.AddHostedService(provider => provider.GetRequiredService<EventWriter>());
        services.AddScoped<EventStore>();
        services.AddScoped<WebhookAcceptance>();
        services.AddOpenApi();
        // The DbContext, its migrations (at start and through the migrate command), its readiness check, and the bus
        // outbox: the scoped IPublishEndpoint writes to IngressDbContext, delivered to RabbitMQ after the commit.
        builder.AddAutomationMessaging<IngressDbContext>(ServiceName, IngressDbContext.Schema, _ => { },
            publishes: WebhookEventTypes.Contracts);
        services.ConfigureDbContext<IngressDbContext>(IngressDbContext.Configure, ServiceLifetime.Singleton);
        return builder;
    }

    public static WebApplication MapIngress(this WebApplication app)
    {
        app.MapOpenApi().RequireManagementPort();
        app.MapWebhookEndpoint();
        return app;
    }

    private static void AddSources(IServiceCollection services)
    {
        // Bound without a change token on purpose: reloads go through SourceCatalog, which keeps the last valid
        // configuration instead of failing every later read as a reloading IOptionsMonitor would.
        services.AddSingleton<IValidateOptions<IngressOptions>, IngressOptionsValidator>();
        services.AddOptions<IngressOptions>()
            .Configure<IConfiguration>((options, configuration) => IngressOptionsBinder.Bind(configuration, options))
            .ValidateOnStart();
        services.AddSingleton<SourceCatalog>();
        // Built when the host starts, before the first request, from the configuration validated then: a reload that comes
        // before the first webhook must be judged against that configuration, not become the first one. Not built by the
        // migrate command, which needs no sources.
        services.AddHostedService(provider => provider.GetRequiredService<SourceCatalog>());
        services.AddHealthChecks().AddCheck<SourceConfigurationHealthCheck>("ingress-sources", tags: [ServiceDefaultsExtensions.ReadyTag]);
    }
}
