using System.Text;
using Automation.Ingress.Signatures;
using Automation.Ingress.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Automation.Ingress.Tests.Signatures;

/// <summary>The two hex schemes: the seed's <c>X-Signature</c> and GitHub's <c>X-Hub-Signature-256</c>.</summary>
public sealed class HexSignatureVerifierTests
{
    private const string Secret = "hex-secret";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"id":"evt_1"}""");
    private static readonly string Valid = TestSignatures.Hex(Body, Secret);

    [Theory]
    [InlineData(SignatureSchemes.HmacSha256Hex, "")]
    [InlineData(SignatureSchemes.GitHub, "sha256=")]
    public void A_signature_of_the_wrong_length_or_not_hex_fails(string scheme, string prefix)
    {
        var verifier = Verifier(scheme);
        foreach (var signature in new[] { Valid[..^1], Valid + "0", Valid + "00", Valid[..^2] + "zz", Valid[..^2] + " 0", "", "00" })
        {
            Assert.False(verifier.Verify(Headers(scheme, prefix + signature), Body).IsValid, signature);
        }
    }

    [Theory]
    [InlineData(SignatureSchemes.HmacSha256Hex, "")]
    [InlineData(SignatureSchemes.GitHub, "sha256=")]
    public void A_repeated_signature_header_fails_even_when_both_copies_are_valid(string scheme, string prefix)
    {
        var headers = new HeaderDictionary { [HeaderName(scheme)] = new StringValues([prefix + Valid, prefix + Valid]) };

        Assert.False(Verifier(scheme).Verify(headers, Body).IsValid);
    }

    [Theory]
    [InlineData(SignatureSchemes.HmacSha256Hex, "")]
    [InlineData(SignatureSchemes.GitHub, "sha256=")]
    public void A_signature_over_another_body_fails(string scheme, string prefix)
    {
        Assert.False(Verifier(scheme).Verify(Headers(scheme, prefix + Valid), [.. Body, (byte)'\n']).IsValid);
        Assert.True(Verifier(scheme).Verify(Headers(scheme, prefix + Valid), Body).IsValid);
    }

    [Theory]
    [InlineData("SHA256=")]
    [InlineData("sha1=")]
    [InlineData("sha256:")]
    public void A_github_signature_with_another_prefix_fails(string prefix)
    {
        Assert.False(Verifier(SignatureSchemes.GitHub).Verify(Headers(SignatureSchemes.GitHub, prefix + Valid), Body).IsValid);
    }

    [Fact]
    public void A_hex_signature_sent_in_the_other_schemes_header_fails()
    {
        var headers = new HeaderDictionary { [GitHubSignatureVerifier.HeaderName] = "sha256=" + Valid };

        Assert.False(Verifier(SignatureSchemes.HmacSha256Hex).Verify(headers, Body).IsValid);
    }

    private static IWebhookSignatureVerifier Verifier(string scheme) =>
        SignatureSchemes.CreateVerifier(scheme, ["old-secret", Secret], TimeSpan.FromMinutes(5), TimeProvider.System);

    private static string HeaderName(string scheme) =>
        scheme == SignatureSchemes.GitHub ? GitHubSignatureVerifier.HeaderName : HexSignatureVerifier.HeaderName;

    private static HeaderDictionary Headers(string scheme, string value) => new() { [HeaderName(scheme)] = value };
}
