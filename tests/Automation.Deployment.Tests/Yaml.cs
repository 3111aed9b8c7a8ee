using YamlDotNet.RepresentationModel;

namespace Automation.Deployment.Tests;

internal static class Yaml
{
    public static YamlNode At(YamlMappingNode node, params string[] keys)
    {
        YamlNode current = node;
        foreach (var key in keys)
        {
            current = ((YamlMappingNode)current).Children[key];
        }

        return current;
    }

    /// <summary>The map under <paramref name="key"/>, empty when there is none.</summary>
    public static YamlMappingNode Map(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var value) ? (YamlMappingNode)value : new YamlMappingNode();

    public static string Text(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var value) ? ((YamlScalarNode)value).Value ?? "" : "";
}
