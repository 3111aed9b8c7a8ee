using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Automation.Testing;

/// <summary>Runs one Automation service in the test process, configured with the given settings and, when given, services
/// added after the service's own (<typeparamref name="TAnyServiceType"/> only names the service's assembly). Its management port is a free one, unless
/// the settings name one, so services started side by side (or beside <c>./automation up</c>) on real sockets
/// (<c>UseKestrel</c>) never collide.</summary>
public sealed class ServiceFactory<TAnyServiceType>(IReadOnlyDictionary<string, string> settings,
    Action<IServiceCollection>? configureServices = null)
    : WebApplicationFactory<TAnyServiceType>
    where TAnyServiceType : class
{
    public int ManagementPort { get; } = settings.TryGetValue("Management:Port", out var port)
        ? int.Parse(port, CultureInfo.InvariantCulture)
        : FreeTcpPort.Next();

    /// <summary>On real sockets: the address of the service's public port (it also listens on its management port).</summary>
    public Uri PublicAddress => Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
        .Select(address => new Uri(address))
        .First(address => address.Port != ManagementPort);

    /// <summary>A client of the management port (detailed readiness, metrics): on real sockets, that port; on the
    /// in-memory test server, which has no ports, requests marked as arriving on it.</summary>
    public HttpClient CreateManagementClient() => Services.GetRequiredService<IServer>() is TestServer memory
        ? new HttpClient(memory.CreateHandler(context => context.Connection.LocalPort = ManagementPort)) { BaseAddress = memory.BaseAddress }
        : new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ManagementPort.ToString(CultureInfo.InvariantCulture)}/") };

    private bool _realSockets;

    /// <summary>Serves on real sockets: a free public port and the management port. Not <c>UseKestrel(0)</c>: it rewrites
    /// the server's addresses while the service's host may already be starting, and so can drop the management port.</summary>
    public void UseRealSockets()
    {
        UseKestrel();
        _realSockets = true;
    }

    private readonly HostStartupFailure _startupFailure = new();

    /// <summary>Starts the service expecting it not to start: why it did not, as its host reported it.</summary>
    public Exception StartupFailure() => _startupFailure.Of(StartServer);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureLogging(logging => logging.AddProvider(_startupFailure));
        if (_realSockets)
        {
            builder.UseSetting(WebHostDefaults.ServerUrlsKey, RealSockets.AnyFreeLoopbackPort);
        }

        builder.UseSetting("Management:Port", ManagementPort.ToString(CultureInfo.InvariantCulture));
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        if (configureServices is not null)
        {
            builder.ConfigureServices(configureServices);
        }
    }
}
