namespace Automation.Testing;

/// <summary>Reads the settings the infrastructure script publishes: process variables first, then the
/// <c>.local/infra.env</c> file it writes (so tests started from an IDE find a server started by the script).</summary>
internal static class InfraEnvironment
{
    public static Dictionary<string, string> Read()
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in ReadFile())
        {
            settings[key] = value;
        }

        foreach (var key in new[] { TestInfrastructure.PostgresVariable, TestInfrastructure.RabbitMqVariable, TestInfrastructure.RabbitMqManagementVariable })
        {
            var value = Environment.GetEnvironmentVariable(key);
            if (!string.IsNullOrWhiteSpace(value))
            {
                settings[key] = value;
            }
        }

        return settings;
    }

    private static IEnumerable<(string Key, string Value)> ReadFile()
    {
        var file = FindFile();
        if (file is null)
        {
            yield break;
        }

        foreach (var line in File.ReadAllLines(file))
        {
            var separator = line.IndexOf('=', StringComparison.Ordinal);
            if (separator > 0)
            {
                yield return (line[..separator].Trim(), line[(separator + 1)..].Trim().Trim('\''));
            }
        }
    }

    private static string? FindFile()
    {
        var stateDir = Environment.GetEnvironmentVariable("AUTOMATION_STATE_DIR");
        if (!string.IsNullOrEmpty(stateDir))
        {
            return Existing(Path.Combine(stateDir, "infra.env"));
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Automation.sln")))
            {
                return Existing(Path.Combine(dir.FullName, ".local", "infra.env"));
            }
        }

        return null;
    }

    private static string? Existing(string path) => File.Exists(path) ? path : null;
}
