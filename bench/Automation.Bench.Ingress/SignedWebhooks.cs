using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Automation.Bench.Ingress;

/// <summary>Makes the requests: a survey.completed envelope per event id, signed as <c>hmac-sha256-hex</c>. A chosen
/// share repeats an event id sent earlier in the run, which the Ingress answers 200 duplicate.</summary>
public sealed class SignedWebhooks(BenchOptions options)
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(options.Secret);
    private readonly string _runId = Guid.NewGuid().ToString("N")[..8];
    private long _next;

    public HttpRequestMessage Next()
    {
        var sequence = Interlocked.Increment(ref _next);
        // Duplicates repeat one of the last thousand ids, so most have been answered by the time they come back.
        var eventNumber = sequence > 1000 && Random.Shared.NextDouble() < options.DuplicateShare
            ? sequence - Random.Shared.NextInt64(1, 1000)
            : sequence;
        var body = Encoding.UTF8.GetBytes(
            $$$"""{"id":"bench_{{{_runId}}}_{{{eventNumber}}}","type":"survey.completed","timestamp":"2026-11-26T10:00:00Z","version":1,"data":{"surveyId":"srv_42","responseId":"rsp_{{{eventNumber}}}","respondent":{"email":"ada@example.com","name":"Ada Lovelace"},"score":9,"answers":[{"questionId":"q1","question":"How likely are you to recommend us?","value":9}]}}""");
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.Url, $"/webhooks/{options.Source}"))
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("X-Signature", Convert.ToHexStringLower(HMACSHA256.HashData(_key, body)));
        return request;
    }
}
