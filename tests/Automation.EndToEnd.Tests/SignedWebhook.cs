using System.Security.Cryptography;
using System.Text;

namespace Automation.EndToEnd.Tests;

/// <summary>Builds webhook requests signed with the seed's scheme (hex HMAC-SHA256 of the raw body in X-Signature).</summary>
public static class SignedWebhook
{
    public static HttpRequestMessage Create(string source, string body, string secret)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/{source}")
        {
            Content = new ByteArrayContent(bytes),
        };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-Signature", Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), bytes)));
        return request;
    }
}
