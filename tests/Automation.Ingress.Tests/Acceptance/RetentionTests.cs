using System.Net;
using System.Net.Http.Json;
using Automation.Ingress.Tests.Infrastructure;
using Automation.Ingress.Webhooks;
using Automation.Testing;

namespace Automation.Ingress.Tests.Acceptance;

/// <summary>Stored bodies are purged after <c>Ingress:Retention:KeepBodiesFor</c>, keeping the (source, event id) row so a
/// replay is still a duplicate; the rows go after <c>KeepEventsFor</c>, and a replay after that is a new event.</summary>
public sealed class RetentionTests(RetentionTests.Service ingress) : IClassFixture<RetentionTests.Service>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public sealed class Service : IngressServiceFixture
    {
        protected override Dictionary<string, string?> Settings()
        {
            var settings = base.Settings();
            settings["Ingress:Retention:KeepBodiesFor"] = "00:00:01";
            settings["Ingress:Retention:KeepEventsFor"] = "00:00:08";
            settings["Ingress:Retention:Interval"] = "00:00:00.2";
            // Smaller than what each test stores, so a pass takes several statements.
            settings["Ingress:Retention:BatchSize"] = "2";
            return settings;
        }
    }

    [Fact]
    public async Task A_body_is_purged_after_its_window_while_its_row_keeps_answering_replays_as_duplicates()
    {
        var eventIds = Enumerable.Range(0, 5).Select(_ => TestWebhooks.NewEventId()).ToList();
        var original = new Dictionary<string, Guid>();
        foreach (var eventId in eventIds)
        {
            original[eventId] = (await SendAsync(eventId, HttpStatusCode.Accepted)).Id;
        }

        await Eventually.Until(async () => (await Task.WhenAll(eventIds.Select(ingress.StoredAsync)))
            .All(rows => rows.Count == 1 && rows[0].Body is null), "every body is purged");
        var replay = await SendAsync(eventIds[0], HttpStatusCode.OK);

        Assert.Equal(new WebhookAnswer(WebhookAnswer.Duplicate, original[eventIds[0]], eventIds[0]), replay);
    }

    [Fact]
    public async Task After_the_deduplication_window_the_row_is_deleted_and_a_replay_is_accepted_as_a_new_event()
    {
        var eventIds = Enumerable.Range(0, 5).Select(_ => TestWebhooks.NewEventId()).ToList();
        var first = await SendAsync(eventIds[0], HttpStatusCode.Accepted);
        foreach (var eventId in eventIds.Skip(1))
        {
            await SendAsync(eventId, HttpStatusCode.Accepted);
        }

        await Eventually.Until(async () => (await Task.WhenAll(eventIds.Select(ingress.StoredAsync))).All(rows => rows.Count == 0),
            "every row is deleted");
        var replay = await SendAsync(eventIds[0], HttpStatusCode.Accepted);

        Assert.NotEqual(first.Id, replay.Id);
        Assert.NotNull(Assert.Single(await ingress.StoredAsync(eventIds[0])).Body);
    }

    private async Task<WebhookAnswer> SendAsync(string eventId, HttpStatusCode expected)
    {
        using var response = await ingress.Client.SendAsync(TestWebhooks.Hex("hex", TestWebhooks.Envelope(eventId)), Cancellation);
        Assert.Equal(expected, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<WebhookAnswer>(Cancellation))!;
    }
}
