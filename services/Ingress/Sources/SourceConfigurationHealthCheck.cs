using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Automation.Ingress.Sources;

/// <summary>Degraded while a refused configuration reload leaves the service on an older configuration than the
/// operator wrote: it still serves, but not what was asked.</summary>
public sealed class SourceConfigurationHealthCheck(SourceCatalog catalog) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(catalog.RefusedReload is { } reason
            ? HealthCheckResult.Degraded($"The latest configuration was refused, the previous one is in force: {reason}")
            : HealthCheckResult.Healthy("The latest configuration is in force."));
}
