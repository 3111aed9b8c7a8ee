using YamlDotNet.RepresentationModel;

namespace Automation.Deployment.Tests;

/// <summary>What <c>kubectl kustomize</c> builds from a folder, for the features our kustomizations use (resources, files
/// or folders; strategic-merge patches of maps, by name or by a target's kind, name and label; images), so CI checks the
/// manifests without kubectl. Anything else in a kustomization fails the build rather than being silently ignored.</summary>
internal static class Kustomize
{
    private static readonly HashSet<string> Understood = ["apiVersion", "kind", "resources", "patches", "images"];

    public static IReadOnlyList<YamlMappingNode> Build(string folder)
    {
        var file = Path.Combine(folder, "kustomization.yaml");
        var kustomization = RepositoryFiles.LoadYamlDocuments(file).Single();
        var unknown = kustomization.Children.Keys.Select(Key).Where(key => !Understood.Contains(key)).ToArray();
        if (unknown.Length > 0)
        {
            throw new NotSupportedException($"{file}: {string.Join(", ", unknown)} not understood by this test's kustomize");
        }

        var objects = new List<YamlMappingNode>();
        foreach (var resource in Sequence(kustomization, "resources").Cast<YamlScalarNode>().Select(node => Path.Combine(folder, node.Value!)))
        {
            objects.AddRange(Directory.Exists(resource) ? Build(resource) : RepositoryFiles.LoadYamlDocuments(resource));
        }

        foreach (var patch in Sequence(kustomization, "patches").Cast<YamlMappingNode>())
        {
            Apply(objects, patch, folder, file);
        }

        foreach (var image in Sequence(kustomization, "images").Cast<YamlMappingNode>())
        {
            SetImage(objects, image);
        }

        return objects;
    }

    public static string Kind(YamlMappingNode node) => Yaml.Text(node, "kind");

    public static string Name(YamlMappingNode node) => Yaml.Text((YamlMappingNode)node.Children["metadata"], "name");

    public static IReadOnlyDictionary<string, string> Labels(YamlMappingNode metadata) =>
        metadata.Children.TryGetValue("labels", out var labels)
            ? ((YamlMappingNode)labels).Children.ToDictionary(pair => Key(pair.Key), pair => ((YamlScalarNode)pair.Value).Value ?? "")
            : new Dictionary<string, string>();

    private static void Apply(List<YamlMappingNode> objects, YamlMappingNode entry, string folder, string file)
    {
        var path = Path.Combine(folder, Yaml.Text(entry, "path"));
        var patch = RepositoryFiles.LoadYamlDocuments(path).Single();
        var target = entry.Children.TryGetValue("target", out var node) ? (YamlMappingNode)node : null;
        Func<YamlMappingNode, bool> matches = target is null
            ? candidate => Kind(candidate) == Kind(patch) && Name(candidate) == Name(patch)
            : candidate => Selected(candidate, target);
        var matched = objects.Where(matches).ToArray();
        if (matched.Length == 0)
        {
            throw new InvalidOperationException($"{file}: the patch {path} matches no object");
        }

        foreach (var candidate in matched)
        {
            Merge(candidate, patch, keepName: target is not null);
        }
    }

    private static bool Selected(YamlMappingNode candidate, YamlMappingNode target)
    {
        var kind = Yaml.Text(target, "kind");
        var name = Yaml.Text(target, "name");
        var selector = Yaml.Text(target, "labelSelector");
        if (kind.Length > 0 && Kind(candidate) != kind || name.Length > 0 && Name(candidate) != name)
        {
            return false;
        }

        if (selector.Length == 0)
        {
            return true;
        }

        var labels = Labels((YamlMappingNode)candidate.Children["metadata"]);
        return selector.Split(',').All(requirement =>
        {
            var pair = requirement.Split('=', 2);
            return pair.Length == 2 && labels.TryGetValue(pair[0], out var value) && value == pair[1];
        });
    }

    /// <summary>Strategic merge for maps: the patch's values win, maps merge key by key; a patch of a list is not supported.</summary>
    private static void Merge(YamlMappingNode into, YamlMappingNode patch, bool keepName, bool atMetadata = false)
    {
        foreach (var (keyNode, value) in patch.Children)
        {
            var key = Key(keyNode);
            if (atMetadata && keepName && key == "name")
            {
                continue;
            }

            switch (value)
            {
                case YamlMappingNode map when into.Children.TryGetValue(key, out var existing) && existing is YamlMappingNode target:
                    Merge(target, map, keepName, atMetadata: key == "metadata");
                    break;
                case YamlSequenceNode:
                    throw new NotSupportedException($"a patch of the list {key}: merge keys are not implemented by this test's kustomize");
                default:
                    into.Children[new YamlScalarNode(key)] = value;
                    break;
            }
        }
    }

    private static void SetImage(List<YamlMappingNode> objects, YamlMappingNode image)
    {
        var name = Yaml.Text(image, "name");
        var newName = Yaml.Text(image, "newName");
        var newTag = Yaml.Text(image, "newTag");
        var containers = objects
            .Where(candidate => Kind(candidate) is "Deployment" or "Job")
            .SelectMany(candidate => ((YamlSequenceNode)Yaml.At(candidate, "spec", "template", "spec", "containers")).Cast<YamlMappingNode>())
            .Where(container => Yaml.Text(container, "image").Split(':')[0] == name)
            .ToArray();
        if (containers.Length == 0)
        {
            throw new InvalidOperationException($"the image {name} is used by no container");
        }

        foreach (var container in containers)
        {
            var current = Yaml.Text(container, "image").Split(':');
            var tag = newTag.Length > 0 ? newTag : current.ElementAtOrDefault(1) ?? "latest";
            container.Children[new YamlScalarNode("image")] = new YamlScalarNode($"{(newName.Length > 0 ? newName : name)}:{tag}");
        }
    }

    private static IEnumerable<YamlNode> Sequence(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var value) ? (YamlSequenceNode)value : [];

    private static string Key(YamlNode node) => ((YamlScalarNode)node).Value!;
}
