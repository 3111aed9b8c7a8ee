using System.Security.Cryptography;
using System.Text;

namespace Automation.Ingress.Webhooks;

/// <summary>The seed's scheme: <c>X-Signature</c> is the hex HMAC-SHA256 of the raw body.</summary>
public static class HexSignatureVerifier
{
    public static bool IsValid(ReadOnlySpan<byte> body, string? signatureHeader, IEnumerable<string> secrets)
    {
        if (string.IsNullOrEmpty(signatureHeader) || signatureHeader.Length != HMACSHA256.HashSizeInBytes * 2)
        {
            return false;
        }

        byte[] received;
        try
        {
            received = Convert.FromHexString(signatureHeader);
        }
        catch (FormatException)
        {
            return false;
        }

        Span<byte> computed = stackalloc byte[HMACSHA256.HashSizeInBytes];
        var valid = false;
        foreach (var secret in secrets)
        {
            HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body, computed);
            // Every secret is tried so the time taken does not tell which one matched.
            valid |= CryptographicOperations.FixedTimeEquals(computed, received);
        }

        return valid;
    }
}
