using System.Text;
using Automation.Ingress.Signatures;
using Automation.Ingress.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.Time.Testing;

namespace Automation.Ingress.Tests.Signatures;

public sealed class StandardWebhooksVerifierTests
{
    private const string Secret = "whsec_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";
    private const string OtherSecret = "whsec_c2Vjb25kLWtleS1mb3Itcm90YXRpb24tdGVzdHM=";
    private const string WebhookId = "msg_2Kx9";
    private const long SentAt = 1_795_687_200;
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"id":"evt_1","type":"task.executed"}""");

    [Theory]
    [InlineData(0)]
    [InlineData(300)]
    [InlineData(-300)]
    public void A_timestamp_within_the_tolerance_either_way_passes_up_to_its_edge(int skewSeconds)
    {
        Assert.True(VerifyAt(SentAt + skewSeconds, Headers()).IsValid);
    }

    [Theory]
    [InlineData(301)]
    [InlineData(-301)]
    [InlineData(86_400)]
    public void A_timestamp_one_second_past_the_tolerance_either_way_fails(int skewSeconds)
    {
        Assert.False(VerifyAt(SentAt + skewSeconds, Headers()).IsValid);
    }

    [Fact]
    public void The_tolerance_is_configurable()
    {
        var headers = Headers();

        Assert.True(VerifyAt(SentAt + 60, headers, TimeSpan.FromSeconds(60)).IsValid);
        Assert.False(VerifyAt(SentAt + 61, headers, TimeSpan.FromSeconds(60)).IsValid);
    }

    [Theory]
    [InlineData("1795687200a")]
    [InlineData("-1795687200")]
    [InlineData("+1795687200")]
    [InlineData(" 1795687200")]
    [InlineData("1.7956872e9")]
    [InlineData("17956872000000000000000")]
    [InlineData("0x6B07B520")]
    public void A_timestamp_that_is_not_a_plain_number_fails(string timestamp)
    {
        var headers = Headers();
        headers[StandardWebhooksVerifier.TimestampHeader] = timestamp;

        Assert.False(VerifyAt(SentAt, headers).IsValid);
    }

    [Theory]
    [InlineData("webhook-id")]
    [InlineData("webhook-timestamp")]
    [InlineData("webhook-signature")]
    public void A_missing_empty_or_repeated_header_fails(string header)
    {
        var headers = Headers();
        var value = headers[header];

        headers.Remove(header);
        Assert.False(VerifyAt(SentAt, headers).IsValid);
        headers[header] = "";
        Assert.False(VerifyAt(SentAt, headers).IsValid);
        headers[header] = new StringValues([value.ToString(), value.ToString()]);
        Assert.False(VerifyAt(SentAt, headers).IsValid);
    }

    [Theory]
    [InlineData("v1,AAAA")]
    [InlineData("v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("v1,not*base64!")]
    [InlineData("v1,")]
    [InlineData("v1")]
    [InlineData(",,,")]
    public void A_signature_of_the_wrong_length_or_not_base64_fails(string signature)
    {
        var headers = Headers();
        headers[StandardWebhooksVerifier.SignatureHeader] = signature;

        Assert.False(VerifyAt(SentAt, headers).IsValid);
    }

    [Fact]
    public void A_valid_signature_under_another_version_label_fails()
    {
        var headers = Headers();
        headers[StandardWebhooksVerifier.SignatureHeader] = "v1a," + Signature()[3..];

        Assert.False(VerifyAt(SentAt, headers).IsValid);
    }

    [Fact]
    public void One_valid_entry_among_malformed_and_wrong_ones_passes()
    {
        var headers = Headers();
        headers[StandardWebhooksVerifier.SignatureHeader] = $"v1,AAAA  v2,xyz v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= {Signature()}";

        Assert.True(VerifyAt(SentAt, headers).IsValid);
    }

    [Fact]
    public void A_signature_made_with_any_active_secret_passes()
    {
        var headers = Headers();
        headers[StandardWebhooksVerifier.SignatureHeader] = TestSignatures.StandardWebhooks(WebhookId, SentAt, Body, OtherSecret);
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(SentAt));

        var rotating = SignatureSchemes.CreateVerifier(SignatureSchemes.StandardWebhooks, [Secret, OtherSecret], TimeSpan.FromMinutes(5), clock);
        var retired = SignatureSchemes.CreateVerifier(SignatureSchemes.StandardWebhooks, [Secret], TimeSpan.FromMinutes(5), clock);

        Assert.True(rotating.Verify(headers, Body).IsValid);
        Assert.False(retired.Verify(headers, Body).IsValid);
    }

    [Fact]
    public void A_changed_body_fails()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(SentAt));
        var verifier = SignatureSchemes.CreateVerifier(SignatureSchemes.StandardWebhooks, [Secret], TimeSpan.FromMinutes(5), clock);

        Assert.False(verifier.Verify(Headers(), [.. Body, (byte)' ']).IsValid);
    }

    [Fact]
    public void A_webhook_id_with_control_characters_or_over_200_characters_fails()
    {
        foreach (var webhookId in new[] { "msg\u0000x", new string('m', 201) })
        {
            var headers = Headers(webhookId);

            Assert.False(VerifyAt(SentAt, headers).IsValid);
        }
    }

    private static SignatureCheck VerifyAt(long nowUnixSeconds, HeaderDictionary headers, TimeSpan? tolerance = null)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(nowUnixSeconds));
        var verifier = SignatureSchemes.CreateVerifier(SignatureSchemes.StandardWebhooks, [Secret], tolerance ?? TimeSpan.FromMinutes(5), clock);
        return verifier.Verify(headers, Body);
    }

    private static string Signature(string webhookId = WebhookId) => TestSignatures.StandardWebhooks(webhookId, SentAt, Body, Secret);

    private static HeaderDictionary Headers(string webhookId = WebhookId) => new()
    {
        [StandardWebhooksVerifier.IdHeader] = webhookId,
        [StandardWebhooksVerifier.TimestampHeader] = SentAt.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [StandardWebhooksVerifier.SignatureHeader] = Signature(webhookId),
    };
}
