using Microsoft.Extensions.Configuration;

namespace Automation.Ingress.Tests.Infrastructure;

/// <summary>Configuration the test can change while the service runs: <see cref="Change"/> raises the same reload a
/// changed appsettings file would.</summary>
public sealed class TestSettings : ConfigurationProvider, IConfigurationSource
{
    public TestSettings(IReadOnlyDictionary<string, string?> initial)
    {
        foreach (var (key, value) in initial)
        {
            Data[key] = value;
        }
    }

    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    public void Change(Action<IDictionary<string, string?>> change)
    {
        change(Data);
        OnReload();
    }
}
