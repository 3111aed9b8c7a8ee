using System.Net.Http.Json;
using System.Text.Encodings.Web;
using System.Text.Json;
using Automation.Connectors;
using Automation.Notifier.Sending;

namespace Automation.Notifier.Slack;

/// <summary>Posts messages to Slack incoming webhooks (https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks):
/// <c>POST</c> of <c>{"text": …}</c> as JSON to the webhook's URL, answered <c>200 ok</c> as plain text, or an error status
/// with a short reason in the body (400 <c>invalid_payload</c>, 403 <c>action_prohibited</c>, 404 <c>channel_not_found</c>,
/// 410 <c>channel_is_archived</c>, 429 with <c>Retry-After</c>, 500 <c>rollup_error</c>), which
/// <see cref="ExternalCall.SendAsync"/> turns into a permanent or transient failure. Slack ignores the
/// <c>Idempotency-Key</c> header; the Sandbox honours it.</summary>
public sealed class SlackWebhookClient(HttpClient http)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        // The text is already escaped for Slack; JSON's own escaping of < > & would only make recordings harder to read.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <param name="channel">The channel's name in our configuration, for failure messages (the URL is a secret).</param>
    public async Task PostAsync(string channel, Uri webhookUrl, string text, string idempotencyKey, CancellationToken cancellationToken)
    {
        var operation = $"Slack message to channel '{channel}'";
        using var request = new HttpRequestMessage(HttpMethod.Post, webhookUrl)
        {
            Content = JsonContent.Create(new SlackMessage(text), options: Json),
        };
        request.Headers.Add(ExternalCall.IdempotencyKeyHeader, HeaderText.Ascii(idempotencyKey));
        using var response = await http.SendAsync(request, operation, cancellationToken);
        var answer = (await response.Content.ReadAsStringAsync(cancellationToken)).Trim();
        if (answer != "ok")
        {
            // Slack answers a post it took with exactly "ok": anything else is not Slack (a proxy's page, a wrong URL).
            throw new PermanentStepException($"{operation}: {(int)response.StatusCode} but the answer was not Slack's 'ok': {Excerpt(answer)}");
        }
    }

    private static string Excerpt(string answer) =>
        answer.Length > 200 ? answer[..200].ReplaceLineEndings(" ") + "…" : answer.ReplaceLineEndings(" ");

    private sealed record SlackMessage(
        [property: System.Text.Json.Serialization.JsonPropertyName("text")] string Text);
}
