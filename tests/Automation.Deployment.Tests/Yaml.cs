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

    public static string Text(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var value) ? ((YamlScalarNode)value).Value ?? "" : "";
}
