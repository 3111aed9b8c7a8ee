using System.Net.Http.Json;
using Automation.Sandbox;
using Automation.Testing;

namespace Automation.CiTrigger.Tests.Infrastructure;

/// <summary>The Sandbox listening on a real port, and the CiTrigger service calling its GitHub and GitLab stand-ins as
/// <c>./automation up</c> runs them: one per test class.</summary>
public sealed class CiTriggerWithSandbox : IAsyncLifetime
{
    private readonly ServiceFactory<SandboxLedger> _sandbox = new(new Dictionary<string, string>());

    public CiTriggerService Service { get; private set; } = null!;

    public HttpClient Sandbox { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _sandbox.UseRealSockets();
        _sandbox.StartServer();
        Sandbox = new HttpClient { BaseAddress = _sandbox.PublicAddress };
        Service = await CiTriggerService.StartAsync(new Uri(Sandbox.BaseAddress, "github/"), new Uri(Sandbox.BaseAddress, "gitlab/"));
    }

    /// <summary>Tells the Sandbox to fail the next matching call (<c>POST /sandbox/failures</c>).</summary>
    public async Task PlanFailureAsync(object failure)
    {
        using var response = await Sandbox.PostAsJsonAsync("/sandbox/failures", failure, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
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
