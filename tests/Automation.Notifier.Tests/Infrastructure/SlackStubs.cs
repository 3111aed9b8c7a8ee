using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Automation.Notifier.Tests.Infrastructure;

/// <summary>How the tests make WireMock answer like a Slack incoming webhook, per idempotency key (tests share the webhook).</summary>
public static class SlackStubs
{
    public static IRequestBuilder PostFor(string idempotencyKey) =>
        Request.Create().WithPath(NotifierFixture.WebhookPath).UsingPost().WithHeader("Idempotency-Key", idempotencyKey);

    /// <summary>Answers the key's posts with <paramref name="answers"/> in turn, the last one from then on.</summary>
    public static void Answer(this WireMockServer slack, string idempotencyKey, params IResponseBuilder[] answers)
    {
        if (answers.Length == 1)
        {
            slack.Given(PostFor(idempotencyKey)).RespondWith(answers[0]);
            return;
        }

        for (var index = 0; index < answers.Length; index++)
        {
            var stub = slack.Given(PostFor(idempotencyKey)).InScenario(idempotencyKey);
            if (index > 0)
            {
                stub = stub.WhenStateIs($"answered {index}");
            }

            if (index < answers.Length - 1)
            {
                stub = stub.WillSetStateTo($"answered {index + 1}");
            }

            stub.RespondWith(answers[index]);
        }
    }

    public static IResponseBuilder Ok() => Answered(200, "ok");

    /// <summary>Slack's answers are a bare word in plain text (<c>ok</c>, <c>channel_not_found</c> …).</summary>
    public static IResponseBuilder Answered(int status, string word) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "text/html").WithBody(word);

    public static IReadOnlyList<ILogEntry> CallsFor(this WireMockServer slack, string idempotencyKey) =>
        slack.LogEntries.Where(entry => entry.RequestMessage.Headers is { } headers
            && headers.TryGetValue("Idempotency-Key", out var keys) && keys.Contains(idempotencyKey)).ToArray();
}
