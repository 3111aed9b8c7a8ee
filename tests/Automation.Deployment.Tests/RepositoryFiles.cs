using Automation.Testing;
using YamlDotNet.RepresentationModel;

namespace Automation.Deployment.Tests;

/// <summary>Finds the repository's files from the test's output folder.</summary>
internal static class RepositoryFiles
{
    public static string Root => RepositoryRoot.Path;

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>Every deployable service: one folder under <c>services/</c> holding an Automation.*.csproj.</summary>
    public static IReadOnlyList<string> ServiceFolders() =>
        Directory.GetDirectories(PathOf("services"))
            .Where(dir => Directory.GetFiles(dir, "Automation.*.csproj").Length == 1)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .ToArray();

    public static IReadOnlyList<YamlMappingNode> LoadYamlDocuments(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return stream.Documents.Select(document => (YamlMappingNode)document.RootNode).ToArray();
    }
}
