using System.Text.Json;

namespace Automation.Sandbox.Slack;

/// <summary>Stands in for Slack incoming webhooks (https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks):
/// a webhook's URL is <c>/slack/services/{team}/{bot}/{secret}</c> here as <c>https://hooks.slack.com/services/…</c> is
/// there; a JSON message with <c>text</c> or <c>blocks</c> is answered <c>200 ok</c> in plain text, as Slack does, and
/// a payload Slack would refuse gets Slack's answer (400 <c>invalid_payload</c> or <c>no_text</c>). The posted messages are
/// the recorded calls; a repeated <c>Idempotency-Key</c> is answered <c>ok</c> again and posts nothing.</summary>
public static class SlackStandIn
{
    public const string Api = "slack";

    public static IEndpointRouteBuilder MapSlackStandIn(this IEndpointRouteBuilder app)
    {
        app.MapStandIn(Api).MapPost("/services/{team}/{bot}/{secret}", PostMessageAsync)
            .WithSummary("An incoming webhook: posts the message and answers ok");
        return app;
    }

    private static async Task<IResult> PostMessageAsync(HttpRequest request)
    {
        JsonDocument message;
        try
        {
            message = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
        }
        catch (JsonException)
        {
            return Answer(StatusCodes.Status400BadRequest, "invalid_payload");
        }

        using (message)
        {
            if (message.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Answer(StatusCodes.Status400BadRequest, "invalid_payload");
            }

            var hasText = message.RootElement.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String
                && text.GetString()!.Trim().Length > 0;
            var hasBlocks = message.RootElement.TryGetProperty("blocks", out var blocks) && blocks.ValueKind == JsonValueKind.Array
                && blocks.GetArrayLength() > 0;
            return hasText || hasBlocks ? Answer(StatusCodes.Status200OK, "ok") : Answer(StatusCodes.Status400BadRequest, "no_text");
        }
    }

    /// <summary>Slack answers incoming webhooks with a bare word, not JSON.</summary>
    private static IResult Answer(int status, string word) => Results.Text(word, "text/html", statusCode: status);
}
