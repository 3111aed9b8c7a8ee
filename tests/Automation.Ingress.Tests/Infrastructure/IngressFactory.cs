using System.Globalization;
using Automation.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Automation.Ingress.Tests.Infrastructure;

/// <summary>The Ingress service in the test process, on a real Kestrel socket (so request bodies, chunking, header
/// repetition and timeouts behave as in production), configured only by <see cref="Settings"/>. It listens on two ports,
/// as deployed: the public one (<see cref="WebApplicationFactory{TEntryPoint}.CreateClient()"/>) and its management port
/// (<see cref="CreateManagementClient"/>).</summary>
public sealed class IngressFactory : WebApplicationFactory<Program>
{
    private readonly Action<IServiceCollection>? _services;
    private readonly IReadOnlyDictionary<string, string> _hostSettings;
    private readonly string _environment;

    /// <param name="settings">The configuration, changeable while the service runs (<see cref="Settings"/>).</param>
    /// <param name="services">Test-only service registrations.</param>
    /// <param name="hostSettings">Settings the service reads while it is being built, before the configuration above
    /// is in place (e.g. <c>Ingress:SourcesFile</c>).</param>
    /// <param name="environment">The hosting environment (the factory's default, like <c>./automation up</c>, is Development).</param>
    public IngressFactory(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services = null,
        IReadOnlyDictionary<string, string>? hostSettings = null, string? environment = null)
    {
        ManagementPort = FreeTcpPort.Next();
        Settings = new TestSettings(new Dictionary<string, string?>(settings)
        {
            ["Management:Port"] = ManagementPort.ToString(CultureInfo.InvariantCulture),
        });
        _services = services;
        _hostSettings = hostSettings ?? new Dictionary<string, string>();
        _environment = environment ?? Environments.Development;
        // Not UseKestrel(0): it rewrites the server's addresses while the host may already be starting (see ServiceFactory).
        UseKestrel();
    }

    public TestSettings Settings { get; }

    public int ManagementPort { get; }

    /// <summary>A client of the management port: metrics, detailed readiness, the OpenAPI document.</summary>
    public HttpClient CreateManagementClient() => new() { BaseAddress = new Uri($"http://127.0.0.1:{ManagementPort}/") };

    private readonly HostStartupFailure _startupFailure = new();

    /// <summary>Starts the service expecting it not to start: why it did not, as its host reported it.</summary>
    public Exception StartupFailure() => _startupFailure.Of(StartServer);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureLogging(logging => logging.AddProvider(_startupFailure));
        builder.UseEnvironment(_environment);
        builder.UseSetting(WebHostDefaults.ServerUrlsKey, RealSockets.AnyFreeLoopbackPort);
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
