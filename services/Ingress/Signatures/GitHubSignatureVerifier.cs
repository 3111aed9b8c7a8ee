namespace Automation.Ingress.Signatures;

/// <summary><c>github</c>: GitHub's signing style, <c>X-Hub-Signature-256: sha256=&lt;hex HMAC-SHA256 of the raw body&gt;</c>
/// (the payload is still our envelope).</summary>
public sealed class GitHubSignatureVerifier(HmacSha256Keys keys) : IWebhookSignatureVerifier
{
    public const string HeaderName = "X-Hub-Signature-256";
    private const string Prefix = "sha256=";

    public string Scheme => SignatureSchemes.GitHub;

    public SignatureCheck Verify(IHeaderDictionary headers, ReadOnlySpan<byte> body)
    {
        Span<byte> received = stackalloc byte[HmacSha256Keys.MacSize];
        return SignedHeaders.TryGetSingle(headers, HeaderName, out var signature)
            && signature.StartsWith(Prefix, StringComparison.Ordinal)
            && HmacSha256Keys.TryDecodeHex(signature.AsSpan(Prefix.Length), received)
            && keys.AnyMatches(received, body)
                ? SignatureCheck.Valid()
                : SignatureCheck.Invalid;
    }
}
