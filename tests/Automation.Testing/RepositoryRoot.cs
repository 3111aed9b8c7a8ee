namespace Automation.Testing;

/// <summary>The repository's root folder (the one holding Automation.sln), found from the test's output folder: for tests
/// about the repository's own files (docs, manifests, samples).</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string Of(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Automation.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Automation.sln not found above {AppContext.BaseDirectory}");
    }
}
