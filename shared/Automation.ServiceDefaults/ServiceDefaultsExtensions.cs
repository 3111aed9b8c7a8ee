using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Automation.ServiceDefaults;

/// <summary>What every Automation service is made of besides its own work: telemetry, health, problem details, and a
/// management port for the operations endpoints.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Health checks with this tag decide readiness; liveness only asks whether the process answers.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Readiness (database, broker, the service's own checks), on the management port.</summary>
    public const string ReadinessPath = "/health/ready";

    /// <summary>Liveness: the process answers.</summary>
    public const string LivenessPath = "/health/live";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.AddAutomationTelemetry();
        builder.Services.AddHealthChecks();
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddValidatedOptions<ManagementOptions>(ManagementOptions.SectionName);
        builder.Services.AddHostedService<ManagementPortListener>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, ManagementPortMatcherPolicy>());
        return builder;
    }

    /// <summary>Maps, in every environment, a bare <c>/health/live</c> on every port, and on the management port only the
    /// detailed <c>/health/ready</c> (each check's status and reason) and <c>/metrics</c>.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(LivenessPath, new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks(ReadinessPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
            ResponseWriter = HealthReportWriter.WriteAsync,
        }).RequireManagementPort();
        app.MapPrometheusScrapingEndpoint("/metrics").RequireManagementPort();
        return app;
    }
}
