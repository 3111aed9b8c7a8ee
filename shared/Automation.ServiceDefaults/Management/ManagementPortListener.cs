using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Automation.ServiceDefaults;

/// <summary>Makes the server listen on <c>Management:Port</c> beside its public addresses (<c>--urls</c>,
/// <c>ASPNETCORE_URLS</c>, <c>ASPNETCORE_HTTP_PORTS</c>), on the same host(s), before it starts; and stops the service if
/// the port ends up unbound (Kestrel endpoints configured in code or under <c>Kestrel:Endpoints</c> replace these
/// addresses: add the management port there). An in-memory test server has no addresses and is left alone.</summary>
internal sealed class ManagementPortListener(IServer server, IConfiguration configuration, IOptions<ManagementOptions> options)
    : IHostedLifecycleService
{
    /// <summary>Kestrel's own default when nothing names an address.</summary>
    private const string DefaultAddress = "http://localhost:5000";

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        if (server.Features.Get<IServerAddressesFeature>() is not { Addresses.IsReadOnly: false } feature)
        {
            return Task.CompletedTask;
        }

        var addresses = feature.Addresses;
        if (addresses.Count == 0)
        {
            // The host fills in the configured addresses only when none are set; setting ours would skip that, so do it here.
            foreach (var address in ConfiguredAddresses())
            {
                addresses.Add(address);
            }

            feature.PreferHostingUrls = configuration.GetValue<bool>(WebHostDefaults.PreferHostingUrlsKey);
        }

        var port = options.Value.Port;
        var publicAddresses = addresses.Select(BindingAddress.Parse).ToList();
        if (publicAddresses.Any(address => address.Port == port))
        {
            throw new InvalidOperationException(
                $"{ManagementOptions.SectionName}:{nameof(ManagementOptions.Port)}: {port} is also a public port ({string.Join(", ", addresses)}); choose another");
        }

        // First, so a test host's client (which talks to the last address) stays on the public port.
        var configured = addresses.ToList();
        addresses.Clear();
        foreach (var host in publicAddresses.Select(address => address.Host).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            addresses.Add(string.Create(CultureInfo.InvariantCulture, $"http://{host}:{port}"));
        }

        foreach (var address in configured)
        {
            addresses.Add(address);
        }

        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        if (server.Features.Get<IServerAddressesFeature>() is { } feature
            && !feature.Addresses.Select(BindingAddress.Parse).Any(address => address.Port == options.Value.Port))
        {
            throw new InvalidOperationException(
                $"{ManagementOptions.SectionName}:{nameof(ManagementOptions.Port)}: the server does not listen on {options.Value.Port} "
                + $"(it listens on {string.Join(", ", feature.Addresses)}): Kestrel endpoints set in code or under Kestrel:Endpoints "
                + "replace the configured URLs, so add the management port there");
        }

        return Task.CompletedTask;
    }

    private IEnumerable<string> ConfiguredAddresses()
    {
        if (configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } urls)
        {
            return urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        var ports = Ports(WebHostDefaults.HttpPortsKey, "http").Concat(Ports(WebHostDefaults.HttpsPortsKey, "https")).ToList();
        return ports.Count > 0 ? ports : [DefaultAddress];
    }

    private IEnumerable<string> Ports(string key, string scheme) =>
        (configuration[key] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(port => $"{scheme}://*:{port}");

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
