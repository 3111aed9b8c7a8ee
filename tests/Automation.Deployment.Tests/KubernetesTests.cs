using YamlDotNet.RepresentationModel;

namespace Automation.Deployment.Tests;

/// <summary>deploy/k8s, resolved as <c>kubectl kustomize</c> resolves it (by <see cref="Kustomize"/>, so CI needs no
/// kubectl): the base is what deploy/k8s/generate.sh makes of deploy/services.conf, each service deploys alone with every
/// object it needs, and the overlays change what they say.</summary>
public sealed class KubernetesTests
{
    private static readonly ServiceManifest Manifest = ServiceManifest.Load();

    [Fact]
    public async Task The_base_is_what_generate_sh_makes_of_the_manifest()
    {
        var output = Directory.CreateTempSubdirectory("automation-k8s-").FullName;
        try
        {
            var (exitCode, _, errors) = await ToolProcess.RunAsync("bash", "apt-get install -y bash", "deploy/k8s/generate.sh", output);
            Assert.True(exitCode == 0, errors);

            var committed = RepositoryFiles.PathOf("deploy", "k8s", "base");
            Assert.Equal(Files(output), Files(committed));
            Assert.All(Files(output), file => Assert.True(
                File.ReadAllText(Path.Combine(output, file)) == File.ReadAllText(Path.Combine(committed, file)),
                $"deploy/k8s/base/{file} differs from what deploy/k8s/generate.sh makes: run it and commit the result"));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public void Each_service_deploys_alone_with_its_settings_deployment_service_autoscaler_disruption_budget_and_deploy_job()
    {
        foreach (var service in Manifest.Services)
        {
            var objects = Kustomize.Build(RepositoryFiles.PathOf("deploy", "k8s", "base", service.Name));

            string[] expected = ["ConfigMap", "Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget", .. service.HasTopology ? ["Job"] : Array.Empty<string>()];
            Assert.Equal(expected.Order(StringComparer.Ordinal), objects.Select(Kustomize.Kind).Order(StringComparer.Ordinal));
            AssertServiceObjects(service, objects);
            Assert.All(service.Settings, setting =>
                Assert.Equal(setting.Value, Yaml.Text(Settings(objects, service.Name), ManifestService.EnvironmentName(setting.Key))));
        }
    }

    [Fact]
    public void The_development_overlay_runs_every_service_and_the_sandbox_from_one_replica()
    {
        var objects = Kustomize.Build(RepositoryFiles.PathOf("deploy", "k8s", "overlays", "development"));

        Assert.Equal(Manifest.Services.Select(service => service.Name).Order(StringComparer.Ordinal), Deployments(objects).Keys.Order(StringComparer.Ordinal));
        Assert.All(Of(objects, "HorizontalPodAutoscaler"), autoscaler => Assert.Equal("1", Yaml.Text((YamlMappingNode)autoscaler.Children["spec"], "minReplicas")));
        Assert.Equal("http://sandbox/hubspot/", Yaml.Text(Settings(objects, "crm-sync"), "CrmSync__HubSpot__BaseUrl"));
        Assert.All(Manifest.Services, service => AssertServiceObjects(service, objects));
    }

    [Fact]
    public void The_production_overlay_runs_the_services_without_the_sandbox_on_quorum_queues_from_the_registry()
    {
        var objects = Kustomize.Build(RepositoryFiles.PathOf("deploy", "k8s", "overlays", "production"));
        var services = Manifest.Services.Where(service => service.Name != "sandbox").ToArray();

        Assert.Equal(services.Select(service => service.Name).Order(StringComparer.Ordinal), Deployments(objects).Keys.Order(StringComparer.Ordinal));
        Assert.All(services.Where(service => service.HasTopology), service =>
            Assert.Equal("true", Yaml.Text(Settings(objects, service.Name), "RabbitMq__QuorumQueues")));
        Assert.All(Of(objects, "Deployment").Concat(Of(objects, "Job")), workload => Assert.All(Containers(workload), container =>
            Assert.Matches(@"^registry\.example\.com/automation/[a-z-]+:\d+\.\d+\.\d+$", Yaml.Text(container, "image"))));
        Assert.All(Of(objects, "HorizontalPodAutoscaler"), autoscaler => Assert.Equal("3", Yaml.Text((YamlMappingNode)autoscaler.Children["spec"], "minReplicas")));
    }

    [Fact]
    public void The_secret_example_holds_every_secret_the_services_read_and_no_kustomization_applies_it()
    {
        var example = RepositoryFiles.LoadYamlDocuments(RepositoryFiles.PathOf("deploy", "k8s", "secret.example.yaml")).Single();
        var keys = ((YamlMappingNode)example.Children["stringData"]).Children.Keys.Select(key => ((YamlScalarNode)key).Value!);

        Assert.Equal("automation-secrets", Kustomize.Name(example));
        Assert.Equal(Manifest.Services.SelectMany(service => service.Secrets).Select(ManifestService.EnvironmentName).Distinct().Order(StringComparer.Ordinal),
            keys.Order(StringComparer.Ordinal));
        Assert.All(Directory.GetFiles(RepositoryFiles.PathOf("deploy", "k8s"), "kustomization.yaml", SearchOption.AllDirectories), file =>
            Assert.DoesNotContain(((YamlSequenceNode)RepositoryFiles.LoadYamlDocuments(file).Single().Children["resources"])
                .Cast<YamlScalarNode>(), resource => resource.Value!.EndsWith("secret.example.yaml", StringComparison.Ordinal)));
    }

    /// <summary>What every service's objects must say, wherever they are built: probes on the management port's health paths,
    /// the ports the settings give, secrets by reference, selectors that find the service's pods and never its Job's, an
    /// autoscaler and a disruption budget on its Deployment, and a Job that migrates and declares the topology.</summary>
    private static void AssertServiceObjects(ManifestService service, IReadOnlyList<YamlMappingNode> objects)
    {
        var deployment = Deployments(objects)[service.Name];
        var container = Containers(deployment).Single();
        var settings = Settings(objects, service.Name);
        var ports = ((YamlSequenceNode)container.Children["ports"]).Cast<YamlMappingNode>()
            .ToDictionary(port => Yaml.Text(port, "name"), port => Yaml.Text(port, "containerPort"));
        Assert.Equal(ports["management"], Yaml.Text(settings, "Management__Port"));
        Assert.Equal($"http://+:{ports["http"]}", Yaml.Text(settings, "ASPNETCORE_URLS"));
        foreach (var (probe, path) in new[] { ("readinessProbe", Manifest.Probes["ready"]), ("livenessProbe", Manifest.Probes["live"]) })
        {
            var get = (YamlMappingNode)Yaml.At(container, probe, "httpGet");
            Assert.Equal((path, "management"), (Yaml.Text(get, "path"), Yaml.Text(get, "port")));
        }

        // Set everywhere; an overlay may change a value (the development one points CrmSync at the Sandbox).
        Assert.All(service.Settings, setting => Assert.NotEmpty(Yaml.Text(settings, ManifestService.EnvironmentName(setting.Key))));
        AssertSecretsByReference(service, container);
        Assert.StartsWith(service.Image + ":", Yaml.Text(container, "image").Replace("registry.example.com/automation/", "automation-", StringComparison.Ordinal),
            StringComparison.Ordinal);

        var podLabels = Kustomize.Labels((YamlMappingNode)Yaml.At(deployment, "spec", "template", "metadata"));
        var kubernetesService = Named(objects, "Service", service.Name);
        Assert.True(Selects((YamlMappingNode)Yaml.At(kubernetesService, "spec", "selector"), podLabels), $"{service.Name}: its Service selects none of its pods");
        Assert.Equal(["http"], ((YamlSequenceNode)Yaml.At(kubernetesService, "spec", "ports")).Cast<YamlMappingNode>().Select(port => Yaml.Text(port, "targetPort")));
        Assert.Equal(service.Name, Yaml.Text((YamlMappingNode)Yaml.At(Named(objects, "HorizontalPodAutoscaler", service.Name), "spec", "scaleTargetRef"), "name"));
        Assert.True(Selects((YamlMappingNode)Yaml.At(Named(objects, "PodDisruptionBudget", service.Name), "spec", "selector", "matchLabels"), podLabels),
            $"{service.Name}: its PodDisruptionBudget selects none of its pods");

        if (service.HasTopology)
        {
            var job = Named(objects, "Job", $"{service.Name}-deploy");
            var deploy = Containers(job).Single();
            var command = string.Join(' ', ((YamlSequenceNode)deploy.Children["command"]).Cast<YamlScalarNode>().Select(part => part.Value));
            Assert.Matches("migrate && exec .* deploy-topology", command);
            Assert.Equal(Yaml.Text(container, "image"), Yaml.Text(deploy, "image"));
            AssertSecretsByReference(service, deploy);
            var jobPods = Kustomize.Labels((YamlMappingNode)Yaml.At(job, "spec", "template", "metadata"));
            Assert.False(Selects((YamlMappingNode)Yaml.At(kubernetesService, "spec", "selector"), jobPods), $"{service.Name}: its Service would send requests to its Job");
        }
    }

    private static void AssertSecretsByReference(ManifestService service, YamlMappingNode container)
    {
        var references = container.Children.TryGetValue("env", out var env)
            ? ((YamlSequenceNode)env).Cast<YamlMappingNode>().ToDictionary(variable => Yaml.Text(variable, "name"),
                variable => (YamlMappingNode)Yaml.At(variable, "valueFrom", "secretKeyRef"))
            : [];
        Assert.Equal(service.Secrets.Select(ManifestService.EnvironmentName).Order(StringComparer.Ordinal), references.Keys.Order(StringComparer.Ordinal));
        Assert.All(references, reference => Assert.Equal(("automation-secrets", reference.Key),
            (Yaml.Text(reference.Value, "name"), Yaml.Text(reference.Value, "key"))));
    }

    private static bool Selects(YamlMappingNode selector, IReadOnlyDictionary<string, string> labels) =>
        selector.Children.All(pair => labels.TryGetValue(((YamlScalarNode)pair.Key).Value!, out var value) && value == ((YamlScalarNode)pair.Value).Value);

    private static Dictionary<string, YamlMappingNode> Deployments(IReadOnlyList<YamlMappingNode> objects) =>
        Of(objects, "Deployment").ToDictionary(Kustomize.Name);

    private static YamlMappingNode Settings(IReadOnlyList<YamlMappingNode> objects, string service) =>
        (YamlMappingNode)Named(objects, "ConfigMap", $"{service}-settings").Children["data"];

    private static YamlMappingNode Named(IReadOnlyList<YamlMappingNode> objects, string kind, string name) =>
        Of(objects, kind).SingleOrDefault(candidate => Kustomize.Name(candidate) == name)
        ?? throw new Xunit.Sdk.XunitException($"no {kind} named {name}");

    private static IEnumerable<YamlMappingNode> Of(IReadOnlyList<YamlMappingNode> objects, string kind) =>
        objects.Where(candidate => Kustomize.Kind(candidate) == kind);

    private static IEnumerable<YamlMappingNode> Containers(YamlMappingNode workload) =>
        ((YamlSequenceNode)Yaml.At(workload, "spec", "template", "spec", "containers")).Cast<YamlMappingNode>();

    private static string[] Files(string folder) =>
        [.. Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Select(file => Path.GetRelativePath(folder, file)).Order(StringComparer.Ordinal)];
}
