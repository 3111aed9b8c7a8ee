using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Automation.Ingress.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Ingress.Tests.Acceptance;

/// <summary>The "bad input" list, sent over a real socket: each gets a clear 4xx, never a 5xx, and stores nothing.</summary>
public sealed class BadInputTests(BadInputTests.Service ingress) : IClassFixture<BadInputTests.Service>
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(15);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public sealed class Service : IngressServiceFixture
    {
        /// <summary>The body limit of the source <c>chunked</c>: 64 chunks of 1 KiB.</summary>
        public const int ChunkedSourceLimit = 64 * 1024;

        public BodyBytesRead BodyBytesRead { get; } = new();

        protected override void ConfigureServices(IServiceCollection services) =>
            services.AddSingleton<IStartupFilter>(BodyBytesRead);

        protected override Dictionary<string, string?> Settings()
        {
            var settings = base.Settings();
            AddSource(settings, "chunked", "hmac-sha256-hex", [HexSecret], ["survey.completed"], maxBodyBytes: ChunkedSourceLimit);
            return settings;
        }
    }

    [Fact]
    public async Task A_signature_header_sent_twice_is_401_even_when_both_are_valid()
    {
        var (eventId, body) = Event();
        var signature = TestSignatures.Hex(body, IngressServiceFixture.HexSecret);

        var status = await SendRawAsync("/webhooks/hex", body, $"X-Signature: {signature}", $"X-Signature: {signature}");

        Assert.Equal(401, status);
        Assert.Empty(await ingress.StoredAsync(eventId));
    }

    [Fact]
    public async Task A_standard_webhooks_header_sent_twice_is_401()
    {
        var (eventId, body) = Event();
        using var signed = TestWebhooks.StandardWebhooks("standard", Encoding.UTF8.GetString(body), DateTimeOffset.UtcNow);
        var headers = signed.Headers.Select(header => $"{header.Key}: {header.Value.Single()}").ToList();
        headers.Add(headers.Single(header => header.StartsWith("webhook-timestamp", StringComparison.Ordinal)));

        var status = await SendRawAsync("/webhooks/standard", body, [.. headers]);

        Assert.Equal(401, status);
        Assert.Empty(await ingress.StoredAsync(eventId));
    }

    [Theory]
    [InlineData("X-Signature: ")]
    [InlineData("X-Signature: abc")]
    [InlineData("X-Signature: zz02a867abe04c9919dfeba15028a1ae56d712bb274b3d471308d4aa227bbb5")]
    [InlineData("X-Signature: ab202a867abe04c9919dfeba15028a1ae56d712bb274b3d471308d4aa227bbb5ab")]
    [InlineData("X-Signature: sha256=ab202a867abe04c9919dfeba15028a1ae56d712bb274b3d471308d4aa227bbb5")]
    public async Task An_empty_short_long_or_non_hex_signature_is_401(string header)
    {
        var (eventId, body) = Event();

        var status = await SendRawAsync("/webhooks/hex", body, header);

        Assert.Equal(401, status);
        Assert.Empty(await ingress.StoredAsync(eventId));
    }

    [Theory]
    [InlineData("v1,AAAA")]
    [InlineData("v1,@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@=")]
    [InlineData("")]
    public async Task A_standard_webhooks_signature_of_the_wrong_length_or_not_base64_is_401(string signature)
    {
        var (eventId, body) = Event();
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

        var status = await SendRawAsync("/webhooks/standard", body, "webhook-id: msg_1", $"webhook-timestamp: {timestamp}",
            $"webhook-signature: {signature}");

        Assert.Equal(401, status);
        Assert.Empty(await ingress.StoredAsync(eventId));
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("1.795687e9")]
    [InlineData("-1")]
    public async Task A_standard_webhooks_timestamp_that_is_not_a_number_is_401(string timestamp)
    {
        var (eventId, body) = Event();
        using var signed = TestWebhooks.StandardWebhooks("standard", Encoding.UTF8.GetString(body), DateTimeOffset.UtcNow);
        signed.Headers.Remove("webhook-timestamp");
        signed.Headers.Add("webhook-timestamp", timestamp);

        using var response = await ingress.Client.SendAsync(signed, Cancellation);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await ingress.StoredAsync(eventId));
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    public async Task A_stale_or_future_standard_webhooks_timestamp_is_401(int skewSeconds)
    {
        var eventId = TestWebhooks.NewEventId();

        using var response = await ingress.Client.SendAsync(TestWebhooks.StandardWebhooks(
            "standard", TestWebhooks.Envelope(eventId), DateTimeOffset.UtcNow.AddSeconds(skewSeconds)), Cancellation);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await ingress.StoredAsync(eventId));
    }

    [Fact]
    public async Task A_standard_webhooks_request_with_two_signatures_one_valid_is_accepted()
    {
        var eventId = TestWebhooks.NewEventId();
        using var request = TestWebhooks.StandardWebhooks("standard", TestWebhooks.Envelope(eventId), DateTimeOffset.UtcNow);
        var valid = request.Headers.GetValues("webhook-signature").Single();
        request.Headers.Remove("webhook-signature");
        request.Headers.TryAddWithoutValidation("webhook-signature", "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= " + valid);

        using var response = await ingress.Client.SendAsync(request, Cancellation);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Single(await ingress.StoredAsync(eventId));
    }

    [Fact]
    public async Task A_body_reserialized_with_other_whitespace_fails_verification()
    {
        var eventId = TestWebhooks.NewEventId();
        var compact = TestWebhooks.Envelope(eventId);
        var pretty = System.Text.Json.JsonSerializer.Serialize(System.Text.Json.JsonDocument.Parse(compact).RootElement,
            new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
        using var request = TestWebhooks.Unsigned("hex", Encoding.UTF8.GetBytes(pretty));
        request.Headers.Add("X-Signature", TestSignatures.Hex(Encoding.UTF8.GetBytes(compact), IngressServiceFixture.HexSecret));

        using var response = await ingress.Client.SendAsync(request, Cancellation);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await ingress.StoredAsync(eventId));
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("\"evt\"")]
    [InlineData("null")]
    [InlineData("{\"id\":\"evt_dup\",\"id\":\"evt_dup2\",\"type\":\"survey.completed\"}")]
    public async Task A_signed_body_that_is_empty_or_not_one_json_object_is_400(string body)
    {
        var before = await ingress.StoredCountAsync();

        using var response = await ingress.Client.SendAsync(TestWebhooks.Hex("hex", body), Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await ingress.StoredCountAsync());
    }

    [Fact]
    public async Task A_signed_body_with_invalid_utf8_is_400()
    {
        var eventId = TestWebhooks.NewEventId();
        var body = Encoding.UTF8.GetBytes(TestWebhooks.Envelope(eventId, data: """{"surveyId":"X","responseId":"r","respondent":{"email":"e"}}"""));
        body[Array.IndexOf(body, (byte)'X')] = 0xFF;

        using var response = await ingress.Client.SendAsync(TestWebhooks.Hex("hex", body), Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await ingress.StoredAsync(eventId));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("text/plain")]
    [InlineData("application/json; charset=iso-8859-1")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task A_body_that_is_not_declared_json_in_utf8_is_415(string? contentType)
    {
        var (eventId, body) = Event();
        using var request = TestWebhooks.Hex("hex", body);
        request.Content!.Headers.ContentType = contentType is null ? null : System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);

        using var response = await ingress.Client.SendAsync(request, Cancellation);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Empty(await ingress.StoredAsync(eventId));
    }

    [Fact]
    public async Task A_chunked_body_is_read_and_accepted()
    {
        var (eventId, body) = Event();
        using var request = TestWebhooks.Hex("hex", body);
        request.Content = new StreamContent(new MemoryStream(body));
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TransferEncodingChunked = true;

        using var response = await ingress.Client.SendAsync(request, Cancellation);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Single(await ingress.StoredAsync(eventId));
    }

    [Fact]
    public async Task A_declared_length_over_the_limit_is_413_before_any_of_the_body_is_sent()
    {
        await using var connection = await RawHttpConnection.OpenAsync(ingress.ServerAddress);

        await connection.SendHeadAsync("/webhooks/small", "Content-Type: application/json", "Content-Length: 100000000",
            $"{BodyBytesRead.RequestHeader}: declared-too-large");

        Assert.Equal(413, await connection.ReadStatusAsync(AnswerTimeout));
        Assert.Equal(0, ingress.BodyBytesRead.For("declared-too-large"));
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_413_without_the_whole_body_being_read()
    {
        const int chunkSize = 1024;
        const int chunksOffered = 64 * 1024; // 64 MiB, far past the 2 KiB limit
        await using var connection = await RawHttpConnection.OpenAsync(ingress.ServerAddress);
        await connection.SendHeadAsync("/webhooks/small", "Content-Type: application/json", "Transfer-Encoding: chunked",
            $"{BodyBytesRead.RequestHeader}: chunked-too-large");
        var answer = connection.ReadStatusAsync(TimeSpan.FromSeconds(60));

        var chunk = Encoding.ASCII.GetBytes(new string(' ', chunkSize));
        for (var sent = 0; sent < chunksOffered && !answer.IsCompleted; sent++)
        {
            try
            {
                await connection.SendChunkAsync(chunk);
            }
            catch (IOException)
            {
                break; // the server answered and closed the connection
            }
        }

        Assert.Equal(413, await answer);
        // The server's own limit (set from the source's) may refuse the read that would cross it, so fewer bytes may be counted.
        Assert.InRange(ingress.BodyBytesRead.For("chunked-too-large"), 0, IngressServiceFixture.SmallSourceLimit + (2 * chunkSize));
    }

    [Theory]
    [InlineData(0, 202)]
    [InlineData(1, 413)]
    public async Task A_chunked_body_is_limited_by_its_decoded_size_not_by_its_chunk_framing(int bytesOverTheLimit, int expected)
    {
        const int chunkSize = 1024;
        var eventId = TestWebhooks.NewEventId();
        var envelope = TestWebhooks.Envelope(eventId);
        // White space after the object is still the same JSON: the body is padded to the size under test.
        var body = Encoding.UTF8.GetBytes(envelope + new string(' ', Service.ChunkedSourceLimit + bytesOverTheLimit - envelope.Length));
        await using var connection = await RawHttpConnection.OpenAsync(ingress.ServerAddress);
        await connection.SendHeadAsync("/webhooks/chunked", "Content-Type: application/json", "Transfer-Encoding: chunked",
            $"X-Signature: {TestSignatures.Hex(body, IngressServiceFixture.HexSecret)}");
        var answer = connection.ReadStatusAsync(AnswerTimeout);

        try
        {
            for (var offset = 0; offset < body.Length && !answer.IsCompleted; offset += chunkSize)
            {
                await connection.SendChunkAsync(body[offset..Math.Min(offset + chunkSize, body.Length)]);
            }

            await connection.SendLastChunkAsync();
        }
        catch (IOException)
        {
            // The server answered and closed the connection.
        }

        Assert.Equal(expected, await answer);
        Assert.Equal(expected == 202 ? 1 : 0, (await ingress.StoredAsync(eventId)).Count);
    }

    [Fact]
    public async Task A_sender_that_stalls_half_way_through_the_body_is_answered_408_and_nothing_is_stored()
    {
        var (eventId, body) = Event();
        await using var connection = await RawHttpConnection.OpenAsync(ingress.ServerAddress);
        var stopwatch = Stopwatch.StartNew();

        await connection.SendHeadAsync("/webhooks/hex", "Content-Type: application/json",
            $"Content-Length: {body.Length}", $"X-Signature: {TestSignatures.Hex(body, IngressServiceFixture.HexSecret)}");
        await connection.SendAsync(body[..(body.Length / 2)]);

        Assert.Equal(408, await connection.ReadStatusAsync(AnswerTimeout));
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(10));
        Assert.Empty(await ingress.StoredAsync(eventId));
    }

    [Fact]
    public async Task A_chunked_sender_that_trickles_past_the_timeout_is_answered_408()
    {
        var (eventId, body) = Event();
        await using var connection = await RawHttpConnection.OpenAsync(ingress.ServerAddress);
        await connection.SendHeadAsync("/webhooks/hex", "Content-Type: application/json", "Transfer-Encoding: chunked",
            $"X-Signature: {TestSignatures.Hex(body, IngressServiceFixture.HexSecret)}");
        var answer = connection.ReadStatusAsync(AnswerTimeout);

        for (var offset = 0; offset < body.Length && !answer.IsCompleted; offset += 8)
        {
            await connection.SendChunkAsync(body[offset..Math.Min(offset + 8, body.Length)]);
            await Task.WhenAny(answer, Task.Delay(TimeSpan.FromMilliseconds(500), Cancellation));
        }

        Assert.Equal(408, await answer);
        Assert.Empty(await ingress.StoredAsync(eventId));
    }

    private async Task<int> SendRawAsync(string path, byte[] body, params string[] headers)
    {
        await using var connection = await RawHttpConnection.OpenAsync(ingress.ServerAddress);
        await connection.SendHeadAsync(path, [.. headers, "Content-Type: application/json", $"Content-Length: {body.Length}"]);
        await connection.SendAsync(body);
        return await connection.ReadStatusAsync(AnswerTimeout);
    }

    private static (string EventId, byte[] Body) Event()
    {
        var eventId = TestWebhooks.NewEventId();
        return (eventId, Encoding.UTF8.GetBytes(TestWebhooks.Envelope(eventId)));
    }
}
