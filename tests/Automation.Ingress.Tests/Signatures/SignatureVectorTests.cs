using System.Text;
using Automation.Ingress.Signatures;
using Automation.Ingress.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Automation.Ingress.Tests.Signatures;

public sealed class SignatureVectorTests
{
    public static TheoryData<string> VectorNames => [.. SignatureVectors.All.Select(vector => vector.Name)];

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Every_shared_vector_verifies_as_it_expects(string name)
    {
        var vector = SignatureVectors.Named(name);

        var check = Verify(vector, vector.Headers);

        Assert.Equal(vector.ExpectsValid, check.IsValid);
    }

    [Fact]
    public void The_vectors_cover_every_scheme_both_ways()
    {
        foreach (var scheme in SignatureSchemes.All)
        {
            Assert.Contains(SignatureVectors.All, vector => vector.Scheme == scheme && vector.ExpectsValid);
            Assert.Contains(SignatureVectors.All, vector => vector.Scheme == scheme && !vector.ExpectsValid);
        }
    }

    [Fact]
    public void A_hex_signature_verifies_whatever_the_case_of_its_digits()
    {
        var vector = SignatureVectors.Named("seed-x-signature-valid");
        var headers = vector.Headers.ToDictionary();
        headers["X-Signature"] = headers["X-Signature"].ToUpperInvariant();

        Assert.True(Verify(vector, headers).IsValid);
    }

    [Fact]
    public void A_github_signature_verifies_whatever_the_case_of_its_digits()
    {
        var vector = SignatureVectors.Named("github-valid");
        var headers = vector.Headers.ToDictionary();
        headers["X-Hub-Signature-256"] = "sha256=" + headers["X-Hub-Signature-256"]["sha256=".Length..].ToUpperInvariant();

        Assert.True(Verify(vector, headers).IsValid);
    }

    [Fact]
    public void A_valid_standard_webhooks_request_reports_its_webhook_id()
    {
        var vector = SignatureVectors.Named("standard-webhooks-valid");

        Assert.Equal("msg_2Kx9", Verify(vector, vector.Headers).WebhookId);
    }

    private static SignatureCheck Verify(SignatureVector vector, IReadOnlyDictionary<string, string> headerValues)
    {
        var clock = new FakeTimeProvider(vector.Now ?? new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero));
        var verifier = SignatureSchemes.CreateVerifier(vector.Scheme, vector.ActiveSecrets, TimeSpan.FromMinutes(5), clock);
        var headers = new HeaderDictionary();
        foreach (var (name, value) in headerValues)
        {
            headers[name] = value;
        }

        return verifier.Verify(headers, Encoding.UTF8.GetBytes(vector.Body));
    }
}
