using System.Text.Json;

namespace Automation.EndToEnd.Tests;

/// <summary>How every service's runtime is set up, as built (deploy/Dockerfile copies the same services/Directory.Build.props
/// into each image's build).</summary>
public sealed class RuntimeSettingsTests
{
    [Theory]
    [InlineData("Ingress")]
    [InlineData("Orchestrator")]
    [InlineData("CrmSync")]
    [InlineData("CiTrigger")]
    [InlineData("Notifier")]
    [InlineData("Sandbox")]
    public void Each_service_collects_garbage_with_the_workstation_collector(string service)
    {
        // Server GC cost the services a third more CPU per event on a shared node (docs/benchmarks.md).
        var path = Path.Combine(ServiceProcess.OutputFolder(service), $"Automation.{service}.runtimeconfig.json");
        using var config = JsonDocument.Parse(File.ReadAllText(path));

        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
        Assert.False(properties.GetProperty("System.GC.Server").GetBoolean(), $"{path} asks for Server GC");
    }
}
