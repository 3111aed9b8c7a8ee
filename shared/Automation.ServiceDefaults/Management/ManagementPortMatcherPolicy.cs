using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;
using Microsoft.Extensions.Options;

namespace Automation.ServiceDefaults;

/// <summary>Routing drops the endpoints marked <see cref="ManagementPortOnly"/> from the candidates of a request that did
/// not arrive on the management port, so they answer 404 there, whatever the order of middleware.</summary>
internal sealed class ManagementPortMatcherPolicy(IOptions<ManagementOptions> options) : MatcherPolicy, IEndpointSelectorPolicy
{
    public override int Order => 0;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) =>
        endpoints.Any(endpoint => endpoint.Metadata.GetMetadata<ManagementPortOnly>() is not null);

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        if (httpContext.Connection.LocalPort == options.Value.Port)
        {
            return Task.CompletedTask;
        }

        for (var index = 0; index < candidates.Count; index++)
        {
            if (candidates[index].Endpoint.Metadata.GetMetadata<ManagementPortOnly>() is not null)
            {
                candidates.SetValidity(index, false);
            }
        }

        return Task.CompletedTask;
    }
}
