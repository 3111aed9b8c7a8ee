using Automation.Testing.ExternalApis;

namespace Automation.CrmSync.Tests.Infrastructure;

/// <summary>The CrmSync service calling a <see cref="FakeHubSpot"/>: one per test class.</summary>
public class CrmSyncWithFakeHubSpot : IAsyncLifetime
{
    public FakeHubSpot HubSpot { get; } = new();

    public CrmSyncService Service { get; private set; } = null!;

    /// <summary>How long a call may take before it fails (transiently).</summary>
    public virtual TimeSpan CallTimeout => TimeSpan.FromSeconds(5);

    public async ValueTask InitializeAsync() => Service = await CrmSyncService.Start(HubSpot.BaseUrl, CallTimeout);

    public async ValueTask DisposeAsync()
    {
        if (Service is not null)
        {
            await Service.DisposeAsync();
        }

        HubSpot.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>The CrmSync service giving up on a call after one second: for the tests of a HubSpot that hangs.</summary>
public sealed class CrmSyncWithImpatientCalls : CrmSyncWithFakeHubSpot
{
    public override TimeSpan CallTimeout => TimeSpan.FromSeconds(1);
}
