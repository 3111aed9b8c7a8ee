using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Automation.Testing.ExternalApis;

/// <summary>How a WireMock server answers like a Slack incoming webhook, per idempotency key (tests share the webhook).</summary>
public static class SlackWebhookStubs
{
    /// <summary>Answers the posts carrying <paramref name="idempotencyKey"/> with <paramref name="answers"/> in turn, the last
    /// one from then on.</summary>
    public static void Answer(this WireMockServer slack, string idempotencyKey, params IResponseBuilder[] answers) =>
        slack.AnswerInTurn(Request.Create().UsingPost().WithHeader(KeyedStubs.IdempotencyKeyHeader, idempotencyKey), idempotencyKey, answers);

    public static IResponseBuilder Ok() => Answered(200, "ok");

    /// <summary>Slack's answers are a bare word in plain text (<c>ok</c>, <c>channel_not_found</c> …).</summary>
    public static IResponseBuilder Answered(int status, string word) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "text/html").WithBody(word);
}
