using System.Collections.Frozen;

namespace Automation.Ingress.Sources;

/// <summary>The secrets written in this repository for people to read and copy: the README's demo source, the examples of
/// docs/ingress.md, the development settings, and the shared signature test vectors. Anyone can sign with them, so outside
/// the Development environment a source using one is refused. A test scans the repository's published files and fails
/// when one holds a secret missing here, so this list cannot fall behind the docs.</summary>
public static class PublishedSecrets
{
    private static readonly FrozenSet<string> All = FrozenSet.Create(StringComparer.Ordinal,
    [
        // README.md, eng/services.sh and services/Ingress/appsettings.Development.json: the demo source.
        "demo-signing-secret-from-the-readme",
        // README.md and docs/ingress.md: the example sources.
        "whsec_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=",
        "cms-example-secret-replace-me-0123456789",
        // The shared signature vectors (tests/Automation.Ingress.Tests/vectors/signatures.json), and the demo secret of old.
        "s3cr3t-platform-key",
        "another-key",
        "new-rotated-key",
        "gh-secret",
    ]);

    /// <summary>Compared as written, ignoring surrounding white space (a copied value often brings some).</summary>
    public static bool Contains(string secret) => All.Contains(secret.Trim());
}
