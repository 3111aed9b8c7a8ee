using System.Security.Cryptography;
using System.Text;

namespace Automation.Testing;

/// <summary>Signs bodies the way each scheme's sender does, written independently of the service's verifiers.</summary>
public static class TestSignatures
{
    public static string Hex(byte[] body, string secret) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public static string GitHub(byte[] body, string secret) => "sha256=" + Hex(body, secret);

    /// <summary>A <c>webhook-signature</c> entry: <c>v1,&lt;base64 HMAC-SHA256 of id.timestamp.body&gt;</c>.</summary>
    public static string StandardWebhooks(string webhookId, long timestamp, byte[] body, string whsecSecret)
    {
        var key = Convert.FromBase64String(whsecSecret["whsec_".Length..]);
        var signed = Encoding.UTF8.GetBytes($"{webhookId}.{timestamp}.").Concat(body).ToArray();
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
    }
}
