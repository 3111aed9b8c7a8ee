using System.Text;

namespace Automation.Ingress.Signatures;

/// <summary>The signature schemes a source can use, by their configuration names.</summary>
public static class SignatureSchemes
{
    public const string HmacSha256Hex = "hmac-sha256-hex";
    public const string StandardWebhooks = "standard-webhooks";
    public const string GitHub = "github";

    public static readonly IReadOnlyList<string> All = [HmacSha256Hex, StandardWebhooks, GitHub];

    /// <summary>The shortest secret accepted for the schemes keyed with the secret's text.</summary>
    public const int MinimumSecretCharacters = 32;

    /// <summary>Standard Webhooks keys are 24 to 64 bytes (its specification).</summary>
    public const int MinimumStandardWebhooksKeyBytes = 24;

    public const int MaximumStandardWebhooksKeyBytes = 64;

    private const string StandardWebhooksSecretPrefix = "whsec_";

    public static bool IsKnown(string? scheme) => scheme is HmacSha256Hex or StandardWebhooks or GitHub;

    /// <summary>The key bytes a secret stands for: Standard Webhooks secrets are <c>whsec_&lt;base64&gt;</c> and the key is
    /// the decoded bytes; the other schemes use the secret's UTF-8 text. False when the secret is not written as its
    /// scheme requires (the reason is <paramref name="problem"/>, which never quotes the secret).</summary>
    public static bool TryDecodeSecret(string scheme, string? secret, out byte[] key, out string problem)
    {
        key = [];
        problem = "";
        if (string.IsNullOrWhiteSpace(secret))
        {
            problem = "is empty";
            return false;
        }

        if (scheme != StandardWebhooks)
        {
            key = Encoding.UTF8.GetBytes(secret);
            return true;
        }

        if (!secret.StartsWith(StandardWebhooksSecretPrefix, StringComparison.Ordinal))
        {
            problem = "must be written whsec_<base64 key>";
            return false;
        }

        var encoded = secret.AsSpan(StandardWebhooksSecretPrefix.Length);
        var buffer = new byte[encoded.Length];
        if (!Convert.TryFromBase64Chars(encoded, buffer, out var length) || length == 0)
        {
            problem = "must be written whsec_<base64 key>, and the key part is not valid base64";
            return false;
        }

        key = buffer[..length];
        return true;
    }

    /// <summary>False when a secret that decodes (<see cref="TryDecodeSecret"/>) is too weak to sign with: a Standard Webhooks
    /// key outside 24 to 64 bytes, or a text secret of fewer than 32 characters. The reason never quotes the secret.</summary>
    public static bool IsStrong(string scheme, string secret, byte[] key, out string problem)
    {
        problem = "";
        if (scheme == StandardWebhooks)
        {
            if (key.Length is >= MinimumStandardWebhooksKeyBytes and <= MaximumStandardWebhooksKeyBytes)
            {
                return true;
            }

            problem = $"is too weak: a {StandardWebhooks} key must be {MinimumStandardWebhooksKeyBytes} to {MaximumStandardWebhooksKeyBytes} bytes";
            return false;
        }

        if (secret.Length >= MinimumSecretCharacters)
        {
            return true;
        }

        problem = $"is too weak: a {scheme} secret needs at least {MinimumSecretCharacters} characters";
        return false;
    }

    /// <summary>The verifier for <paramref name="scheme"/> with the given secrets (already validated).</summary>
    public static IWebhookSignatureVerifier CreateVerifier(
        string scheme, IEnumerable<string> secrets, TimeSpan timestampTolerance, TimeProvider clock)
    {
        var keys = new HmacSha256Keys(secrets.Select(secret => TryDecodeSecret(scheme, secret, out var key, out var problem)
            ? key
            : throw new ArgumentException($"A secret {problem}.", nameof(secrets))));
        return scheme switch
        {
            HmacSha256Hex => new HexSignatureVerifier(keys),
            GitHub => new GitHubSignatureVerifier(keys),
            StandardWebhooks => new StandardWebhooksVerifier(keys, timestampTolerance, clock),
            _ => throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "Not a signature scheme."),
        };
    }
}
