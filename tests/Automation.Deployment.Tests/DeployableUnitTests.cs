using YamlDotNet.RepresentationModel;

namespace Automation.Deployment.Tests;

/// <summary>Every service deploys on its own: it has an image in docker-compose and a Kubernetes unit, and neither
/// names a service that does not exist.</summary>
public sealed class DeployableUnitTests
{
    private static readonly YamlMappingNode Compose =
        RepositoryFiles.LoadYamlDocuments(RepositoryFiles.PathOf("docker-compose.yml")).Single();

    [Fact]
    public void Every_service_folder_has_a_compose_service_built_from_it()
    {
        var builtServices = ComposeServices()
            .Select(service => service.Value.Children.TryGetValue("build", out var build)
                ? ((YamlScalarNode)((YamlMappingNode)((YamlMappingNode)build).Children["args"]).Children["SERVICE"]).Value
                : null)
            .OfType<string>()
            .Order(StringComparer.Ordinal);

        Assert.Equal(RepositoryFiles.ServiceFolders(), builtServices);
    }

    [Fact]
    public void Compose_runs_the_infrastructure_and_jaeger_beside_the_services()
    {
        var names = ComposeServices().Select(service => ((YamlScalarNode)service.Key).Value).ToHashSet();

        Assert.Superset(new HashSet<string?> { "postgres", "rabbitmq", "jaeger" }, names);
    }

    [Fact]
    public void Every_service_has_a_kubernetes_deployment_and_service_with_health_probes()
    {
        var kustomization = RepositoryFiles.LoadYamlDocuments(RepositoryFiles.PathOf("deploy", "k8s", "kustomization.yaml")).Single();
        var resources = ((YamlSequenceNode)kustomization.Children["resources"]).Select(node => ((YamlScalarNode)node).Value!).ToArray();
        var deployedImages = new List<string>();
        foreach (var resource in resources)
        {
            var documents = RepositoryFiles.LoadYamlDocuments(RepositoryFiles.PathOf("deploy", "k8s", resource));
            var kinds = documents.Select(document => ((YamlScalarNode)document.Children["kind"]).Value).ToArray();
            Assert.Equal(["Deployment", "Service"], kinds);
            var container = (YamlMappingNode)((YamlSequenceNode)Yaml.At(documents[0], "spec", "template", "spec", "containers")).Single();
            Assert.Equal("/health/ready", ((YamlScalarNode)Yaml.At(container, "readinessProbe", "httpGet", "path")).Value);
            Assert.Equal("/health/live", ((YamlScalarNode)Yaml.At(container, "livenessProbe", "httpGet", "path")).Value);
            deployedImages.Add(((YamlScalarNode)container.Children["image"]).Value!);
        }

        var expectedImages = ComposeServices()
            .Where(service => service.Value.Children.ContainsKey("build"))
            .Select(service => $"automation-{((YamlScalarNode)service.Key).Value}:latest");
        Assert.Equal(expectedImages.Order(StringComparer.Ordinal), deployedImages.Order(StringComparer.Ordinal));
    }

    private static IEnumerable<KeyValuePair<YamlNode, YamlMappingNode>> ComposeServices() =>
        ((YamlMappingNode)Compose.Children["services"]).Children
            .Select(pair => new KeyValuePair<YamlNode, YamlMappingNode>(pair.Key, (YamlMappingNode)pair.Value));
}
