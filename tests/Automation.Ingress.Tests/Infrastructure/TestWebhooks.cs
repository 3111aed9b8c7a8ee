using System.Globalization;
using System.Text;

namespace Automation.Ingress.Tests.Infrastructure;

/// <summary>Builds envelopes and signed webhook requests for the test sources of <see cref="IngressServiceFixture"/>.</summary>
public static class TestWebhooks
{
    public static string NewEventId() => $"evt_{Guid.NewGuid():N}";

    public static string Envelope(string eventId, string type = "survey.completed", int version = 1, string? data = null) =>
        $$$"""{"id":"{{{eventId}}}","type":"{{{type}}}","timestamp":"2026-11-26T10:00:00Z","version":{{{version}}},"data":{{{data ?? DataFor(type)}}}}""";

    public static string DataFor(string type) => type switch
    {
        "survey.completed" => """{"surveyId":"srv_42","responseId":"rsp_7","respondent":{"email":"ada@example.com","name":"Ada Lovelace"},"score":9}""",
        "content.state_changed" => """{"contentId":"cnt_9","title":"Launch notes","fromState":"review","toState":"published"}""",
        "conversation.message_created" => """{"conversationId":"c_1","messageId":"m_1","text":"hello"}""",
        "task.executed" => """{"taskId":"t_1","name":"nightly","status":"failed"}""",
        _ => "{}",
    };

    /// <summary>Signed with <c>X-Signature</c> (the <c>hex</c> and <c>limited</c> sources).</summary>
    public static HttpRequestMessage Hex(string source, string body, string secret = IngressServiceFixture.HexSecret) =>
        Hex(source, Encoding.UTF8.GetBytes(body), secret);

    public static HttpRequestMessage Hex(string source, byte[] body, string secret = IngressServiceFixture.HexSecret) =>
        SignedWebhook.Hex(source, body, secret);

    public static HttpRequestMessage GitHub(string source, string body, string secret = IngressServiceFixture.GitHubSecret)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = Unsigned(source, bytes);
        request.Headers.Add("X-Hub-Signature-256", TestSignatures.GitHub(bytes, secret));
        return request;
    }

    public static HttpRequestMessage StandardWebhooks(string source, string body, DateTimeOffset sentAt, string webhookId = "msg_test",
        string secret = IngressServiceFixture.StandardWebhooksSecret)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = Unsigned(source, bytes);
        var timestamp = sentAt.ToUnixTimeSeconds();
        request.Headers.Add("webhook-id", webhookId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", TestSignatures.StandardWebhooks(webhookId, timestamp, bytes, secret));
        return request;
    }

    public static HttpRequestMessage Unsigned(string source, byte[] body, string contentType = "application/json") =>
        SignedWebhook.Unsigned(source, body, contentType);
}
