using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Automation.Bench.EndToEnd;

/// <summary>Signed webhooks (<c>hmac-sha256-hex</c>) cycling through the four event types, each shaped to match its
/// shipped default rule, so every rule runs: content published (3 steps: CRM note, GitHub pipeline, Slack), survey
/// completed (2: contact upsert, CRM note), message created (1: CRM note), task failed (1: e-mail).</summary>
public sealed class EventMix(E2eOptions options)
{
    public const double StepsPerEvent = (3 + 2 + 1 + 1) / 4.0;

    private readonly byte[] _key = Encoding.UTF8.GetBytes(options.Secret);
    private readonly string _runId = Guid.NewGuid().ToString("N")[..8];
    private long _next;

    public (string EventId, HttpRequestMessage Request) Next()
    {
        var n = Interlocked.Increment(ref _next);
        var eventId = $"bench_{_runId}_{n}";
        var (type, data) = (n % 4) switch
        {
            0 => ("content.state_changed", $$$"""{"contentId":"cnt_{{{n}}}","title":"Bench post {{{n}}}","fromState":"review","toState":"published","url":"https://cms.example.com/cnt_{{{n}}}","author":{"id":"u_1","email":"author{{{n}}}@example.com","name":"Grace Hopper"}}"""),
            1 => ("survey.completed", $$$"""{"surveyId":"srv_42","responseId":"rsp_{{{n}}}","respondent":{"email":"respondent{{{n}}}@example.com","name":"Ada Lovelace"},"score":9}"""),
            2 => ("conversation.message_created", $$$"""{"conversationId":"conv_{{{n}}}","messageId":"msg_{{{n}}}","author":{"id":"u_2","email":"alan{{{n}}}@example.com","name":"Alan Turing"},"channel":"chat","text":"Can we ship on Friday?"}"""),
            _ => ("task.executed", $$$"""{"taskId":"task_{{{n}}}","name":"nightly-export","status":"failed","output":"exit code 3"}"""),
        };
        var body = Encoding.UTF8.GetBytes(
            $$$"""{"id":"{{{eventId}}}","type":"{{{type}}}","timestamp":"2026-11-26T10:00:00Z","version":1,"data":{{{data}}}}""");
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.Url, $"/webhooks/{options.Source}"))
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("X-Signature", Convert.ToHexStringLower(HMACSHA256.HashData(_key, body)));
        return (eventId, request);
    }
}
