namespace Automation.Deployment.Tests;

/// <summary>deploy/services.conf, the one description of the deployable services, read as the scripts read it.</summary>
internal sealed record ServiceManifest(IReadOnlyList<ManifestService> Services, IReadOnlyDictionary<string, string> Probes)
{
    public static ServiceManifest Load()
    {
        var services = new List<ManifestService>();
        var probes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(RepositoryFiles.PathOf("deploy", "services.conf")))
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (words.FirstOrDefault())
            {
                case "probe" when words.Length == 3:
                    probes.Add(words[1], words[2]);
                    break;
                case "service" when words.Length == 8:
                    services.Add(new ManifestService(words[1], words[2], int.Parse(words[3], System.Globalization.CultureInfo.InvariantCulture),
                        int.Parse(words[4], System.Globalization.CultureInfo.InvariantCulture), words[5] switch
                        {
                            "yes" => true,
                            "no" => false,
                            _ => throw new FormatException($"services.conf: topology of {words[1]} is '{words[5]}', not yes or no"),
                        },
                        List(words[6]).Select(setting => setting.Split('=', 2)).ToDictionary(pair => pair[0], pair => pair.Length == 2 ? pair[1] : ""),
                        List(words[7])));
                    break;
                case null:
                case var comment when comment.StartsWith('#'):
                    break;
                default:
                    throw new FormatException($"services.conf: a line neither probe, service nor comment: {line}");
            }
        }

        return new ServiceManifest(services, probes);
    }

    private static string[] List(string column) => column == "-" ? [] : column.Split(',');
}

/// <param name="Settings">Required settings without a secret and their deployed values.</param>
/// <param name="Secrets">Required settings holding a secret.</param>
internal sealed record ManifestService(string Name, string Project, int Port, int ManagementPort, bool HasTopology,
    IReadOnlyDictionary<string, string> Settings, IReadOnlyList<string> Secrets)
{
    public string Image => $"automation-{Name}";

    /// <summary><c>RabbitMq:Uri</c> as an environment variable: <c>RabbitMq__Uri</c>.</summary>
    public static string EnvironmentName(string key) => key.Replace(":", "__", StringComparison.Ordinal);
}
