using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace Automation.Deployment.Tests;

/// <summary>Probes and scrapes reach each service on its management port (<c>Management:Port</c>), which the public
/// Kubernetes Service does not expose.</summary>
public sealed class ManagementPortTests
{
    [Fact]
    public void Kubernetes_probes_each_service_on_the_management_port_it_is_told_and_its_service_exposes_only_http()
    {
        var kustomization = RepositoryFiles.LoadYamlDocuments(RepositoryFiles.PathOf("deploy", "k8s", "kustomization.yaml")).Single();
        foreach (var resource in ((YamlSequenceNode)kustomization.Children["resources"]).Select(node => ((YamlScalarNode)node).Value!))
        {
            var documents = RepositoryFiles.LoadYamlDocuments(RepositoryFiles.PathOf("deploy", "k8s", resource));
            var container = (YamlMappingNode)((YamlSequenceNode)Yaml.At(documents[0], "spec", "template", "spec", "containers")).Single();
            var ports = ((YamlSequenceNode)container.Children["ports"]).Cast<YamlMappingNode>()
                .ToDictionary(port => Yaml.Text(port, "name"), port => Yaml.Text(port, "containerPort"));
            var environment = ((YamlSequenceNode)container.Children["env"]).Cast<YamlMappingNode>()
                .ToDictionary(variable => Yaml.Text(variable, "name"), variable => Yaml.Text(variable, "value"));

            Assert.True(ports.ContainsKey("management"), $"{resource}: the container declares no management port");
            Assert.Equal(ports["management"], environment.GetValueOrDefault("Management__Port"));
            Assert.Equal("management", Yaml.Text((YamlMappingNode)Yaml.At(container, "readinessProbe", "httpGet"), "port"));
            Assert.Equal("management", Yaml.Text((YamlMappingNode)Yaml.At(container, "livenessProbe", "httpGet"), "port"));
            var servicePorts = ((YamlSequenceNode)Yaml.At(documents[1], "spec", "ports")).Cast<YamlMappingNode>();
            Assert.Equal(["http"], servicePorts.Select(port => Yaml.Text(port, "targetPort")));
        }
    }

    [Fact]
    public void Compose_checks_each_services_readiness_on_the_management_port_it_is_told()
    {
        var compose = RepositoryFiles.LoadYamlDocuments(RepositoryFiles.PathOf("docker-compose.yml")).Single();
        var shared = (YamlMappingNode)compose.Children["x-service"];

        var port = Yaml.Text((YamlMappingNode)shared.Children["environment"], "Management__Port");
        var check = string.Join(' ', ((YamlSequenceNode)Yaml.At(shared, "healthcheck", "test")).Select(part => ((YamlScalarNode)part).Value));

        Assert.Contains($"http://localhost:{port}/health/ready", check, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_service_has_its_own_default_management_port()
    {
        var ports = RepositoryFiles.ServiceFolders().ToDictionary(service => service, service =>
        {
            using var settings = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.PathOf("services", service, "appsettings.json")));
            return settings.RootElement.TryGetProperty("Management", out var management) && management.TryGetProperty("Port", out var port)
                ? port.GetInt32()
                : 0;
        });

        Assert.All(ports, entry => Assert.True(entry.Value > 0, $"{entry.Key}: appsettings.json sets no Management:Port"));
        Assert.Equal(ports.Count, ports.Values.Distinct().Count());
    }
}
