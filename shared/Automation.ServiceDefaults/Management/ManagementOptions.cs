using System.ComponentModel.DataAnnotations;

namespace Automation.ServiceDefaults;

/// <summary>Where the operations endpoints listen: metrics, detailed readiness, the OpenAPI document, operator APIs.
/// Configuration section <c>Management</c>; each service's appsettings.json has its default.</summary>
public sealed class ManagementOptions
{
    public const string SectionName = "Management";

    /// <summary>The management port: the service listens on it beside its public port(s), on the same host(s), and the
    /// endpoints marked <see cref="ManagementPortExtensions.RequireManagementPort{TBuilder}"/> answer only there.</summary>
    [Range(1, 65535, ErrorMessage = "is required, 1 to 65535: the port of /metrics, /health/ready and the OpenAPI document")]
    public int Port { get; set; }
}
