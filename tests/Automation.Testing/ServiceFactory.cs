using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Automation.Testing;

/// <summary>Runs one Automation service in the test process, configured with the given settings
/// (<typeparamref name="TAnyServiceType"/> only names the service's assembly).</summary>
public sealed class ServiceFactory<TAnyServiceType>(IReadOnlyDictionary<string, string> settings)
    : WebApplicationFactory<TAnyServiceType>
    where TAnyServiceType : class
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
