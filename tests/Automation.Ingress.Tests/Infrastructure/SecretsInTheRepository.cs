using System.Text.RegularExpressions;
using Automation.Testing;

namespace Automation.Ingress.Tests.Infrastructure;

/// <summary>Every value that looks like a webhook secret in what the repository publishes for people to copy: the README,
/// the docs, the services' settings files, the shared signature vectors, the scripts and the deployment files. Placeholders
/// (<c>&lt;…&gt;</c>, shell variables) are not secrets.</summary>
public static partial class SecretsInTheRepository
{
    public static IReadOnlyList<FoundSecret> Find() =>
    [
        .. PublishedFiles()
            .SelectMany(file => SecretPatterns()
                .SelectMany(pattern => pattern.Matches(File.ReadAllText(file)))
                .SelectMany(match => Values(match))
                .Where(value => value.Length > 0 && !IsPlaceholder(value))
                .Select(value => new FoundSecret(Path.GetRelativePath(RepositoryRoot.Path, file), value)))
            .Distinct(),
    ];

    private static IEnumerable<string> PublishedFiles() =>
    [
        RepositoryRoot.Of("README.md"),
        RepositoryRoot.Of("docker-compose.yml"),
        RepositoryRoot.Of("tests", "Automation.Ingress.Tests", "vectors", "signatures.json"),
        .. Directory.GetFiles(RepositoryRoot.Of("docs"), "*.md"),
        .. Directory.GetDirectories(RepositoryRoot.Of("services")).SelectMany(service => Directory.GetFiles(service, "appsettings*.json")),
        .. Directory.GetFiles(RepositoryRoot.Of("deploy"), "*.yaml", SearchOption.AllDirectories),
        .. Directory.GetFiles(RepositoryRoot.Of("eng"), "*.sh"),
        .. Directory.GetFiles(RepositoryRoot.Of("bench"), "*.sh"),
    ];

    private static IEnumerable<Regex> SecretPatterns() =>
    [
        StandardWebhooksSecret(), OpensslHmacKey(), JsonSecret(), JsonSecretList(), EnvironmentSecret(), ShellSecret(),
    ];

    /// <summary>The secret itself: the whole match for a whsec value, the group otherwise; for a JSON list, each string in it.</summary>
    private static IEnumerable<string> Values(Match match)
    {
        if (match.Groups["list"].Success)
        {
            return QuotedString().Matches(match.Groups["list"].Value).Select(item => item.Groups["value"].Value);
        }

        return [match.Groups["value"].Success ? match.Groups["value"].Value : match.Value];
    }

    private static bool IsPlaceholder(string value) => value.IndexOfAny(['<', '>', '$', '{', '}', '…']) >= 0;

    [GeneratedRegex(@"whsec_[A-Za-z0-9+/]+=*")]
    private static partial Regex StandardWebhooksSecret();

    [GeneratedRegex(@"-hmac\s+['""](?<value>[^'""]+)['""]")]
    private static partial Regex OpensslHmacKey();

    [GeneratedRegex(@"""secrets?""\s*:\s*""(?<value>[^""]*)""", RegexOptions.IgnoreCase)]
    private static partial Regex JsonSecret();

    [GeneratedRegex(@"""secrets?""\s*:\s*\[(?<list>[^\]]*)\]", RegexOptions.IgnoreCase)]
    private static partial Regex JsonSecretList();

    [GeneratedRegex(@"Secrets__\d+[""']?\s*[=:]\s*[""']?(?<value>[^""'\s]+)")]
    private static partial Regex EnvironmentSecret();

    [GeneratedRegex(@"\bsecret=['""](?<value>[^'""]+)['""]")]
    private static partial Regex ShellSecret();

    [GeneratedRegex(@"""(?<value>[^""]*)""")]
    private static partial Regex QuotedString();
}

public sealed record FoundSecret(string File, string Secret);
