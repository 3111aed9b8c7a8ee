namespace Automation.Ingress.Signatures;

/// <summary><c>hmac-sha256-hex</c>, the seed's scheme: <c>X-Signature</c> is the hex HMAC-SHA256 of the raw body.</summary>
public sealed class HexSignatureVerifier(HmacSha256Keys keys) : IWebhookSignatureVerifier
{
    public const string HeaderName = "X-Signature";

    public string Scheme => SignatureSchemes.HmacSha256Hex;

    public SignatureCheck Verify(IHeaderDictionary headers, ReadOnlySpan<byte> body)
    {
        Span<byte> received = stackalloc byte[HmacSha256Keys.MacSize];
        return SignedHeaders.TryGetSingle(headers, HeaderName, out var signature)
            && HmacSha256Keys.TryDecodeHex(signature, received)
            && keys.AnyMatches(received, body)
                ? SignatureCheck.Valid()
                : SignatureCheck.Invalid;
    }
}
