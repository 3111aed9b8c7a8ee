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
    private readonly IReadOnlyDictionary<string, string> _hostSettings;

    /// <param name="settings">The configuration, changeable while the service runs (<see cref="Settings"/>).</param>
    /// <param name="services">Test-only service registrations.</param>
    /// <param name="hostSettings">Settings the service reads while it is being built, before the configuration above
    /// is in place (e.g. <c>Ingress:SourcesFile</c>).</param>
    public IngressFactory(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services = null,
        IReadOnlyDictionary<string, string>? hostSettings = null)
    {
        Settings = new TestSettings(settings);
        _services = services;
        _hostSettings = hostSettings ?? new Dictionary<string, string>();
        UseKestrel(0);
    }

    public TestSettings Settings { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _hostSettings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureAppConfiguration(configuration => configuration.Add(Settings));
        if (_services is not null)
        {
            builder.ConfigureTestServices(_services);
        }
    }
}
