using Microsoft.AspNetCore.Builder;

namespace Automation.ServiceDefaults;

public static class ManagementPortExtensions
{
    /// <summary>The endpoint answers only requests that arrived on the management port (the socket's port, not the Host
    /// header a client chooses); on any other port it does not exist (404).</summary>
    public static TBuilder RequireManagementPort<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(ManagementPortOnly.Instance);
}

/// <summary>Endpoint metadata: this endpoint is served on the management port only.</summary>
public sealed class ManagementPortOnly
{
    public static readonly ManagementPortOnly Instance = new();

    private ManagementPortOnly()
    {
    }
}
