using Automation.Sandbox;
using Automation.Testing;

namespace Automation.CrmSync.Tests.Infrastructure;

/// <summary>The Sandbox on a real port and the CrmSync service pointed at its HubSpot stand-in, as <c>./automation up</c>
/// runs them: one per test class.</summary>
public sealed class CrmSyncWithSandbox : IAsyncLifetime
{
    private readonly ServiceFactory<SandboxLedger> _sandbox = new(new Dictionary<string, string>());

    public HttpClient Sandbox { get; private set; } = null!;

    public CrmSyncService Service { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _sandbox.UseRealSockets();
        _sandbox.StartServer();
        var address = _sandbox.PublicAddress;
        Sandbox = new HttpClient { BaseAddress = address };
        Sandbox.DefaultRequestHeaders.Authorization = new("Bearer", "pat-sandbox-test");
        Service = await CrmSyncService.Start(new Uri(address, "hubspot/"), TimeSpan.FromSeconds(5));
    }

    public async ValueTask DisposeAsync()
    {
        if (Service is not null)
        {
            await Service.DisposeAsync();
        }

        Sandbox?.Dispose();
        await _sandbox.DisposeAsync();
    }
}
