using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Automation.Ingress.Tests.Infrastructure;
using Automation.Ingress.Webhooks;

namespace Automation.Ingress.Tests.Acceptance;

/// <summary>New events and repeats (duplicates and ignored events) have separate budgets per source, so a captured
/// request replayed at will neither throttles the sender's new events nor floods the database.</summary>
public sealed class ReplayBudgetTests(ReplayBudgetTests.Service ingress) : IClassFixture<ReplayBudgetTests.Service>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public sealed class Service : IngressServiceFixture
    {
        protected override Dictionary<string, string?> Settings()
        {
            var settings = base.Settings();
            // Three new events, and almost no refill while the test runs; repeats as many as the test sends.
            AddSource(settings, "replayed", "hmac-sha256-hex", [HexSecret], ["survey.completed"], requestsPerSecond: "0.01", burst: "3");
            settings["Ingress:Sources:replayed:DuplicateOrIgnoredPerSecond"] = "100000";
            // New events as many as the test sends; two repeats, and almost no refill.
            AddSource(settings, "repeats", "hmac-sha256-hex", [HexSecret], ["survey.completed"]);
            settings["Ingress:Sources:repeats:DuplicateOrIgnoredPerSecond"] = "0.01";
            settings["Ingress:Sources:repeats:DuplicateOrIgnoredBurst"] = "2";
            return settings;
        }
    }

    [Fact]
    public async Task One_request_replayed_far_over_the_rate_does_not_stop_the_senders_new_events()
    {
        var captured = TestWebhooks.Envelope(TestWebhooks.NewEventId());
        var original = await SendAsync("replayed", captured);
        Assert.Equal(HttpStatusCode.Accepted, original.Status);

        var replays = new ConcurrentBag<Answer>();
        var newEventsDuringTheReplays = new List<Answer>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 300), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Cancellation },
            async (replay, _) =>
            {
                replays.Add(await SendAsync("replayed", captured));
                if (replay == 150)
                {
                    newEventsDuringTheReplays.Add(await SendAsync("replayed", TestWebhooks.Envelope(TestWebhooks.NewEventId())));
                }
            });
        var newEventAfterTheReplays = await SendAsync("replayed", TestWebhooks.Envelope(TestWebhooks.NewEventId()));
        var oneNewEventTooMany = await SendAsync("replayed", TestWebhooks.Envelope(TestWebhooks.NewEventId()));

        // Every replay is told what it is, a duplicate of the original, never that the sender is over its rate.
        Assert.All(replays, replay => Assert.Equal((HttpStatusCode.OK, original.Body! with { Status = WebhookAnswer.Duplicate }),
            (replay.Status, replay.Body)));
        Assert.Equal(HttpStatusCode.Accepted, Assert.Single(newEventsDuringTheReplays).Status);
        Assert.Equal(HttpStatusCode.Accepted, newEventAfterTheReplays.Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, oneNewEventTooMany.Status);
    }

    [Fact]
    public async Task Duplicates_and_ignored_events_past_their_own_budget_get_429_while_new_events_are_accepted()
    {
        var captured = TestWebhooks.Envelope(TestWebhooks.NewEventId());
        var ignored = TestWebhooks.Envelope(TestWebhooks.NewEventId(), "task.executed");

        var answers = new List<Answer>
        {
            await SendAsync("repeats", captured),
            await SendAsync("repeats", captured),
            await SendAsync("repeats", ignored),
            await SendAsync("repeats", captured),
            await SendAsync("repeats", TestWebhooks.Envelope(TestWebhooks.NewEventId(), "task.executed")),
            await SendAsync("repeats", TestWebhooks.Envelope(TestWebhooks.NewEventId())),
        };

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests,
            HttpStatusCode.TooManyRequests, HttpStatusCode.Accepted], answers.Select(answer => answer.Status));
        Assert.Equal(WebhookAnswer.Duplicate, answers[1].Body!.Status);
        Assert.Equal(WebhookAnswer.Ignored, answers[2].Body!.Status);
        Assert.NotNull(answers[3].RetryAfter);
    }

    private async Task<Answer> SendAsync(string source, string body)
    {
        using var response = await ingress.Client.SendAsync(TestWebhooks.Hex(source, body), Cancellation);
        var answer = response.Content.Headers.ContentType?.MediaType == "application/json"
            ? await response.Content.ReadFromJsonAsync<WebhookAnswer>(Cancellation)
            : null;
        return new Answer(response.StatusCode, answer, response.Headers.RetryAfter?.Delta);
    }

    private sealed record Answer(HttpStatusCode Status, WebhookAnswer? Body, TimeSpan? RetryAfter);
}
