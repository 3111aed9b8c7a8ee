using System.Net.Http.Headers;
using System.Text;

namespace Automation.Testing;

/// <summary>Webhook requests as a platform posts them to the Ingress (<c>POST /webhooks/{source}</c>).</summary>
public static class SignedWebhook
{
    /// <summary>Signed as the <c>hmac-sha256-hex</c> scheme asks: <c>X-Signature</c>, the hex HMAC-SHA256 of the raw body.</summary>
    public static HttpRequestMessage Hex(string source, string body, string secret) => Hex(source, Encoding.UTF8.GetBytes(body), secret);

    public static HttpRequestMessage Hex(string source, byte[] body, string secret)
    {
        var request = Unsigned(source, body);
        request.Headers.Add("X-Signature", TestSignatures.Hex(body, secret));
        return request;
    }

    public static HttpRequestMessage Unsigned(string source, byte[] body, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/{source}") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return request;
    }
}
