using System.Security.Cryptography;
using System.Text;

namespace Automation.Ingress.Signatures;

/// <summary><c>standard-webhooks</c> (standardwebhooks.com): <c>webhook-signature</c> is a space-separated list of
/// <c>v1,&lt;base64 HMAC-SHA256&gt;</c> over <c>{webhook-id}.{webhook-timestamp}.{raw body}</c>, valid when any entry
/// matches any key and <c>webhook-timestamp</c> (Unix seconds) is within the tolerance of our clock, either way, inclusive.</summary>
public sealed class StandardWebhooksVerifier(HmacSha256Keys keys, TimeSpan tolerance, TimeProvider clock) : IWebhookSignatureVerifier
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    /// <summary>Longest <c>webhook-id</c> taken (it is stored beside the event).</summary>
    public const int MaxWebhookIdLength = 200;

    private const string VersionPrefix = "v1,";
    private const int MaxTimestampDigits = 19;

    public string Scheme => SignatureSchemes.StandardWebhooks;

    public SignatureCheck Verify(IHeaderDictionary headers, ReadOnlySpan<byte> body)
    {
        if (!SignedHeaders.TryGetSingle(headers, IdHeader, out var webhookId) || !IsPrintableAscii(webhookId, MaxWebhookIdLength)
            || !SignedHeaders.TryGetSingle(headers, TimestampHeader, out var timestamp) || !IsWithinTolerance(timestamp)
            || !SignedHeaders.TryGetSingle(headers, SignatureHeader, out var signatures))
        {
            return SignatureCheck.Invalid;
        }

        // Both are printable ASCII here, so their UTF-8 is one byte per character.
        Span<byte> prefix = stackalloc byte[webhookId.Length + timestamp.Length + 2];
        var written = Encoding.ASCII.GetBytes(webhookId, prefix);
        prefix[written++] = (byte)'.';
        written += Encoding.ASCII.GetBytes(timestamp, prefix[written..]);
        prefix[written] = (byte)'.';

        Span<byte> expected = stackalloc byte[keys.Count * HmacSha256Keys.MacSize];
        for (var index = 0; index < keys.Count; index++)
        {
            keys.ComputeWithPrefix(index, prefix, body, expected.Slice(index * HmacSha256Keys.MacSize, HmacSha256Keys.MacSize));
        }

        return AnyEntryMatches(signatures, expected) ? SignatureCheck.Valid(webhookId) : SignatureCheck.Invalid;
    }

    private static bool AnyEntryMatches(string signatures, ReadOnlySpan<byte> expected)
    {
        Span<byte> received = stackalloc byte[HmacSha256Keys.MacSize];
        var matched = false;
        foreach (var range in signatures.AsSpan().Split(' '))
        {
            var entry = signatures.AsSpan(range);
            // Entries of other versions, and malformed ones, are skipped: another entry may still match.
            if (!entry.StartsWith(VersionPrefix, StringComparison.Ordinal)
                || !Convert.TryFromBase64Chars(entry[VersionPrefix.Length..], received, out var length)
                || length != HmacSha256Keys.MacSize)
            {
                continue;
            }

            for (var offset = 0; offset < expected.Length; offset += HmacSha256Keys.MacSize)
            {
                matched |= CryptographicOperations.FixedTimeEquals(expected.Slice(offset, HmacSha256Keys.MacSize), received);
            }
        }

        return matched;
    }

    private bool IsWithinTolerance(string timestamp)
    {
        if (timestamp.Length > MaxTimestampDigits || timestamp.AsSpan().ContainsAnyExceptInRange('0', '9')
            || !long.TryParse(timestamp, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var sent))
        {
            return false;
        }

        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        return Math.Abs(now - sent) <= (long)tolerance.TotalSeconds;
    }

    private static bool IsPrintableAscii(string value, int maxLength)
    {
        if (value.Length > maxLength)
        {
            return false;
        }

        foreach (var character in value)
        {
            if (character is < '!' or > '~')
            {
                return false;
            }
        }

        return true;
    }
}
