using YamlDotNet.RepresentationModel;

namespace Automation.Deployment.Tests;

/// <summary>docker-compose.yml, as Debian's docker-compose resolves it (no engine needed), runs every service of
/// deploy/services.conf from its own image, behind the deploy steps that declare the topology first.</summary>
public sealed class ComposeTests
{
    private const string Install = "apt-get install -y docker-compose";
    private static readonly ServiceManifest Manifest = ServiceManifest.Load();

    [Fact]
    public async Task Docker_compose_accepts_the_file()
    {
        var (exitCode, _, errors) = await ToolProcess.RunAsync("docker-compose", Install, "-f", "docker-compose.yml", "config", "-q");

        Assert.True(exitCode == 0, $"docker-compose config: {errors}");
    }

    [Fact]
    public async Task Each_service_runs_from_its_own_image_on_the_manifests_ports_with_its_readiness_checked_on_the_management_port()
    {
        var services = await ResolvedServicesAsync();

        foreach (var service in Manifest.Services)
        {
            var compose = services[service.Name];
            Assert.Equal(service.Project, Yaml.Text((YamlMappingNode)Yaml.At(compose, "build", "args"), "SERVICE"));
            Assert.Equal($"{service.Image}:latest", Yaml.Text(compose, "image"));
            Assert.Equal([$"127.0.0.1:{service.Port}:8080/tcp", $"127.0.0.1:{service.ManagementPort}:9090/tcp"], Strings(compose, "ports"));
            Assert.Contains($"http://localhost:9090{Manifest.Probes["ready"]}", string.Join(' ', Strings((YamlMappingNode)compose.Children["healthcheck"], "test")),
                StringComparison.Ordinal);
            var environment = Yaml.Map(compose, "environment");
            Assert.All(service.Secrets.Concat(service.Settings.Keys), key => Assert.True(
                Yaml.Text(environment, ManifestService.EnvironmentName(key)).Length > 0, $"{service.Name}: compose sets no {key}"));
        }
    }

    [Fact]
    public void The_image_serves_the_public_port_and_the_management_port_the_compose_file_and_manifests_expect_as_a_non_root_user()
    {
        var dockerfile = File.ReadAllLines(RepositoryFiles.PathOf("deploy", "Dockerfile")).Select(line => line.Trim()).ToArray();

        Assert.Contains(dockerfile, line => line.Contains("ASPNETCORE_URLS=http://+:8080", StringComparison.Ordinal));
        Assert.Contains(dockerfile, line => line.Contains("Management__Port=9090", StringComparison.Ordinal));
        Assert.Equal("USER app", dockerfile.Last(line => line.StartsWith("USER ", StringComparison.Ordinal)));
        // The services' own build settings (their garbage collector) reach the image's build.
        Assert.Contains("COPY services/Directory.Build.props services/", dockerfile);
        // Pinned: a tag with a patch version, never a floating one.
        Assert.All(dockerfile.Where(line => line.StartsWith("FROM ", StringComparison.Ordinal)), line =>
            Assert.Matches(@"^FROM mcr\.microsoft\.com/dotnet/(sdk|aspnet):\d+\.\d+\.\d+( AS \w+)?$", line));
    }

    [Fact]
    public async Task Every_service_waits_for_every_deploy_step_which_migrates_and_declares_the_topology_with_the_services_image()
    {
        var services = await ResolvedServicesAsync();
        var deploySteps = Manifest.Services.Where(service => service.HasTopology).Select(service => $"{service.Name}-deploy").ToArray();

        foreach (var service in Manifest.Services.Where(service => service.HasTopology))
        {
            var step = services[$"{service.Name}-deploy"];
            Assert.Equal($"{service.Image}:latest", Yaml.Text(step, "image"));
            var entrypoint = string.Join(' ', Strings(step, "entrypoint"));
            Assert.Contains("migrate", entrypoint, StringComparison.Ordinal);
            Assert.Contains("deploy-topology", entrypoint, StringComparison.Ordinal);
            var dependsOn = (YamlMappingNode)services[service.Name].Children["depends_on"];
            Assert.All(deploySteps, deployStep => Assert.Equal("service_completed_successfully",
                Yaml.Text(Yaml.Map(dependsOn, deployStep), "condition")));
        }
    }

    [Fact]
    public async Task The_services_export_traces_to_jaeger_which_receives_OTLP()
    {
        var services = await ResolvedServicesAsync();

        Assert.Equal("true", Yaml.Text((YamlMappingNode)services["jaeger"].Children["environment"], "COLLECTOR_OTLP_ENABLED"));
        Assert.Superset(new HashSet<string>(["postgres", "rabbitmq"]), services.Keys.ToHashSet());
        Assert.All(Manifest.Services.Where(service => service.HasTopology), service => Assert.Equal("http://jaeger:4317",
            Yaml.Text((YamlMappingNode)services[service.Name].Children["environment"], "OTEL_EXPORTER_OTLP_ENDPOINT")));
    }

    /// <summary>The services as <c>docker-compose config</c> prints them: anchors merged, variables set to their defaults.</summary>
    private static async Task<IReadOnlyDictionary<string, YamlMappingNode>> ResolvedServicesAsync()
    {
        var (exitCode, output, errors) = await ToolProcess.RunAsync("docker-compose", Install, "-f", "docker-compose.yml", "config");
        Assert.True(exitCode == 0, $"docker-compose config: {errors}");
        var stream = new YamlStream();
        stream.Load(new StringReader(output));
        return ((YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode).Children["services"]).Children
            .ToDictionary(pair => ((YamlScalarNode)pair.Key).Value!, pair => (YamlMappingNode)pair.Value);
    }

    private static string[] Strings(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var value) ? [.. ((YamlSequenceNode)value).Cast<YamlScalarNode>().Select(item => item.Value!)] : [];
}
