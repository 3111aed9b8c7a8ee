using Automation.Testing.ExternalApis;

namespace Automation.CiTrigger.Tests.Infrastructure;

/// <summary>The CiTrigger service calling a <see cref="FakeCi"/>: one per test class.</summary>
public sealed class CiTriggerWithFakeCi : IAsyncLifetime
{
    public FakeCi Ci { get; } = new();

    public CiTriggerService Service { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await Ci.Server.WarmUpAsync();
        Service = await CiTriggerService.StartAsync(Ci.BaseUrl, Ci.BaseUrl);
    }

    public async ValueTask DisposeAsync()
    {
        if (Service is not null)
        {
            await Service.DisposeAsync();
        }

        Ci.Dispose();
    }
}
