using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Ingress.Tests.Infrastructure;

/// <summary>The Ingress service in the test process, on a real Kestrel socket (so request bodies, chunking, header
/// repetition and timeouts behave as in production), configured only by <see cref="Settings"/>.</summary>
public sealed class IngressFactory : WebApplicationFactory<Program>
{
    private readonly Action<IServiceCollection>? _services;

    public IngressFactory(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    {
        Settings = new TestSettings(settings);
        _services = services;
        UseKestrel(0);
    }

    public TestSettings Settings { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureAppConfiguration(configuration => configuration.Add(Settings));
        if (_services is not null)
        {
            builder.ConfigureTestServices(_services);
        }
    }
}
