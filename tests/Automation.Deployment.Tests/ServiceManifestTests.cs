using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using Automation.ServiceDefaults;

namespace Automation.Deployment.Tests;

/// <summary>deploy/services.conf is the one description of the services: the scripts read it, and the code agrees with it —
/// each service's default management port, the probe paths the service defaults map, and the settings the options classes
/// bind and require.</summary>
public sealed class ServiceManifestTests
{
    private static readonly ServiceManifest Manifest = ServiceManifest.Load();

    [Fact]
    public void The_manifest_lists_every_service_folder_once()
    {
        Assert.Equal(RepositoryFiles.ServiceFolders(), Manifest.Services.Select(service => service.Project).Order(StringComparer.Ordinal));
        Assert.Equal(Manifest.Services.Count, Manifest.Services.Select(service => service.Name).Distinct().Count());
    }

    [Fact]
    public void Each_service_listens_by_default_on_the_management_port_the_manifest_gives_it_and_no_two_share_a_port()
    {
        foreach (var service in Manifest.Services)
        {
            using var settings = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.PathOf("services", service.Project, "appsettings.json")));
            var port = settings.RootElement.TryGetProperty("Management", out var management) && management.TryGetProperty("Port", out var value)
                ? value.GetInt32()
                : 0;
            Assert.True(port == service.ManagementPort,
                $"{service.Project}: appsettings.json sets Management:Port {port}, deploy/services.conf {service.ManagementPort}");
        }

        var ports = Manifest.Services.SelectMany(service => new[] { service.Port, service.ManagementPort }).ToArray();
        Assert.Equal(ports.Length, ports.Distinct().Count());
    }

    [Fact]
    public void The_probe_paths_are_the_ones_the_service_defaults_map()
    {
        Assert.Equal(ServiceDefaultsExtensions.ReadinessPath, Manifest.Probes["ready"]);
        Assert.Equal(ServiceDefaultsExtensions.LivenessPath, Manifest.Probes["live"]);
    }

    [Fact]
    public void Every_setting_and_secret_the_manifest_requires_is_bound_by_an_options_class_of_the_service()
    {
        foreach (var service in Manifest.Services)
        {
            var bound = OptionKeys(service).Select(option => option.Key).ToHashSet(StringComparer.Ordinal);
            Assert.All(service.Settings.Keys.Concat(service.Secrets), key =>
                Assert.True(bound.Contains(key), $"{service.Name}: {key} is bound by none of its options classes"));
        }
    }

    [Fact]
    public void Every_setting_an_options_class_of_the_service_requires_is_in_the_manifest()
    {
        foreach (var service in Manifest.Services)
        {
            var listed = service.Settings.Keys.Concat(service.Secrets).ToHashSet(StringComparer.Ordinal);
            Assert.All(OptionKeys(service).Where(option => option.Required), option =>
                Assert.True(listed.Contains(option.Key), $"{service.Name}: {option.Key} is required by its options but not in deploy/services.conf"));
        }
    }

    [Fact]
    public void The_services_have_topology_exactly_when_they_use_RabbitMQ()
    {
        Assert.All(Manifest.Services, service => Assert.Equal(
            AssembliesOf(service).Any(assembly => assembly.GetName().Name == "Automation.Hosting"), service.HasTopology));
    }

    [Fact]
    public async Task The_scripts_start_the_manifests_services_in_its_order_on_its_ports()
    {
        var (exitCode, output, errors) = await ToolProcess.RunAsync("bash", "apt-get install -y bash", "-c",
            "repo_root=\"$PWD\"; source eng/common.sh; source eng/services.sh; printf '%s\\n' \"${services[@]}\"");

        Assert.True(exitCode == 0, errors);
        Assert.Equal(
            Manifest.Services.Select(service => $"{service.Name}:{service.Project}:{service.Port}:{service.ManagementPort}:{(service.HasTopology ? "yes" : "no")}"),
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>The keys the options classes of the service's assemblies bind (<c>SectionName:Property</c>), and whether each is
    /// required.</summary>
    private static IEnumerable<(string Key, bool Required)> OptionKeys(ManifestService service) =>
        from assembly in AssembliesOf(service)
        from type in assembly.GetTypes()
        let section = type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string
        where section is not null
        from property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
        select ($"{section}:{property.Name}", property.GetCustomAttribute<RequiredAttribute>() is not null);

    /// <summary>The service's assembly and every Automation assembly it uses, directly or not.</summary>
    private static IReadOnlyList<Assembly> AssembliesOf(ManifestService service)
    {
        var found = new Dictionary<string, Assembly>(StringComparer.Ordinal);
        var waiting = new Queue<AssemblyName>([new AssemblyName($"Automation.{service.Project}")]);
        while (waiting.TryDequeue(out var name))
        {
            if (!name.Name!.StartsWith("Automation.", StringComparison.Ordinal) || found.ContainsKey(name.Name))
            {
                continue;
            }

            var assembly = Assembly.Load(name);
            found.Add(name.Name, assembly);
            foreach (var reference in assembly.GetReferencedAssemblies())
            {
                waiting.Enqueue(reference);
            }
        }

        return [.. found.Values];
    }
}
