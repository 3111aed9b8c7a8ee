using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Automation.Contracts;
using Automation.Ingress.Tests.Infrastructure;

namespace Automation.Ingress.Tests.Acceptance;

/// <summary>The answers of the spec's table over real PostgreSQL and RabbitMQ: what is stored, what is published.</summary>
public sealed class AcceptanceTests(IngressServiceFixture ingress) : IClassFixture<IngressServiceFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_signed_event_is_stored_then_published_once_with_our_id_as_its_message_id()
    {
        var eventId = TestWebhooks.NewEventId();
        var body = TestWebhooks.Envelope(eventId);

        using var response = await ingress.Client.SendAsync(TestWebhooks.Hex("hex", body), Cancellation);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var answer = await Answer(response);
        Assert.Equal(("accepted", eventId), (answer.Status, answer.EventId));
        var stored = Assert.Single(await ingress.StoredAsync(eventId));
        Assert.Equal((answer.Id, "hex", "accepted", "survey.completed", 1, "hmac-sha256-hex", (string?)null),
            (stored.Id, stored.Source, stored.Status, stored.Type, stored.Version, stored.Scheme, stored.WebhookId));
        Assert.Equal(Encoding.UTF8.GetBytes(body), stored.Body);
        var published = await ingress.Published.WaitForAsync(eventId);
        Assert.Equal(answer.Id, published.MessageId);
        Assert.Equal(answer.Id, published.Event.Metadata.Id);
        var survey = Assert.IsType<SurveyCompleted>(published.Typed);
        Assert.Equal(("srv_42", "ada@example.com"), (survey.SurveyId, survey.Respondent.Email));
    }

    [Fact]
    public async Task A_second_delivery_is_a_duplicate_with_the_originals_id_and_is_not_published_again()
    {
        var eventId = TestWebhooks.NewEventId();
        var body = TestWebhooks.Envelope(eventId);

        using var first = await ingress.Client.SendAsync(TestWebhooks.Hex("hex", body), Cancellation);
        // Another secret and another signature scheme's source would be another source: same source, rotated secret here.
        using var second = await ingress.Client.SendAsync(TestWebhooks.Hex("hex", body, IngressServiceFixture.HexOldSecret), Cancellation);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var original = await Answer(first);
        Assert.Equal(new WebhookAnswerBody("duplicate", original.Id, eventId), await Answer(second));
        Assert.Single(await ingress.StoredAsync(eventId));
        await ingress.Published.WaitForAsync(eventId);
        await ingress.AssertNothingPublishedAsync("no-such-event");
        Assert.Single(ingress.Published.For(eventId));
    }

    [Fact]
    public async Task Fifty_concurrent_identical_deliveries_give_one_202_and_one_published_event()
    {
        var eventId = TestWebhooks.NewEventId();
        var body = TestWebhooks.Envelope(eventId);
        using var start = new SemaphoreSlim(0);

        var deliveries = Enumerable.Range(0, 50).Select(async _ =>
        {
            await start.WaitAsync(Cancellation);
            using var response = await ingress.Client.SendAsync(TestWebhooks.Hex("hex", body), Cancellation);
            return (response.StatusCode, Answer: await Answer(response));
        }).ToList();
        start.Release(50);
        var answers = await Task.WhenAll(deliveries);

        var accepted = Assert.Single(answers, answer => answer.StatusCode == HttpStatusCode.Accepted);
        Assert.All(answers.Where(answer => answer.StatusCode != HttpStatusCode.Accepted), answer =>
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal(new WebhookAnswerBody("duplicate", accepted.Answer.Id, eventId), answer.Answer);
        });
        Assert.Single(await ingress.StoredAsync(eventId));
        await ingress.Published.WaitForAsync(eventId);
        await ingress.AssertNothingPublishedAsync("no-such-event");
        Assert.Single(ingress.Published.For(eventId));
    }

    [Fact]
    public async Task An_unsubscribed_type_is_answered_ignored_recorded_and_never_published()
    {
        var eventId = TestWebhooks.NewEventId();

        using var response = await ingress.Client.SendAsync(TestWebhooks.Hex("hex", TestWebhooks.Envelope(eventId, "task.executed")), Cancellation);
        using var again = await ingress.Client.SendAsync(TestWebhooks.Hex("hex", TestWebhooks.Envelope(eventId, "task.executed")), Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await Answer(response);
        Assert.Equal(("ignored", eventId), (answer.Status, answer.EventId));
        Assert.Equal(answer, await Answer(again));
        var stored = Assert.Single(await ingress.StoredAsync(eventId));
        Assert.Equal((answer.Id, "ignored"), (stored.Id, stored.Status));
        await ingress.AssertNothingPublishedAsync(eventId);
    }

    [Fact]
    public async Task An_unsubscribed_type_is_ignored_whatever_its_version_and_even_when_the_type_is_unknown()
    {
        var unknownVersion = TestWebhooks.NewEventId();
        var unknownType = TestWebhooks.NewEventId();

        using var first = await ingress.Client.SendAsync(TestWebhooks.Hex("hex", TestWebhooks.Envelope(unknownVersion, "task.executed", 7)), Cancellation);
        using var second = await ingress.Client.SendAsync(TestWebhooks.Hex("hex", TestWebhooks.Envelope(unknownType, "invoice.paid")), Cancellation);

        Assert.Equal("ignored", (await Answer(first)).Status);
        Assert.Equal("ignored", (await Answer(second)).Status);
        await ingress.AssertNothingPublishedAsync(unknownVersion);
        Assert.Empty(ingress.Published.For(unknownType));
    }

    [Fact]
    public async Task An_unknown_version_of_a_subscribed_type_is_422_and_not_stored()
    {
        var eventId = TestWebhooks.NewEventId();

        using var response = await ingress.Client.SendAsync(TestWebhooks.Hex("hex", TestWebhooks.Envelope(eventId, "survey.completed", 3)), Cancellation);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await ingress.StoredAsync(eventId));
    }

    [Fact]
    public async Task A_version_2_event_is_published_as_the_same_contract_as_version_1()
    {
        var eventId = TestWebhooks.NewEventId();
        var data = """{"contentId":"cnt_9","title":"Launch notes","transition":{"from":"review","to":"published"}}""";

        using var response = await ingress.Client.SendAsync(
            TestWebhooks.GitHub("github", TestWebhooks.Envelope(eventId, "content.state_changed", 2, data)), Cancellation);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var published = await ingress.Published.WaitForAsync(eventId);
        var content = Assert.IsType<ContentStateChanged>(published.Typed);
        Assert.Equal(("review", "published", 2), (content.FromState, content.ToState, content.Metadata.Version));
    }

    [Fact]
    public async Task An_invalid_envelope_is_400_naming_each_field_by_its_json_path()
    {
        var eventId = TestWebhooks.NewEventId();
        var body = TestWebhooks.Envelope(eventId, data: """{"surveyId":"s","responseId":"r","respondent":{"name":"Ada"}}""");

        using var response = await ingress.Client.SendAsync(TestWebhooks.Hex("hex", body), Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));
        Assert.Equal("is required", problem.RootElement.GetProperty("errors").GetProperty("data.respondent.email").GetString());
        Assert.Empty(await ingress.StoredAsync(eventId));
    }

    [Fact]
    public async Task An_envelope_with_many_errors_names_20_of_them_and_counts_the_rest()
    {
        var eventId = TestWebhooks.NewEventId();
        var answers = string.Join(',', Enumerable.Repeat("7", 500));
        var body = TestWebhooks.Envelope(eventId, data: $$"""{"surveyId":"s","responseId":"r","respondent":{"email":"e"},"answers":[{{answers}}]}""");

        using var response = await ingress.Client.SendAsync(TestWebhooks.Hex("hex", body), Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));
        Assert.Equal(20, problem.RootElement.GetProperty("errors").EnumerateObject().Count());
        Assert.Equal(480, problem.RootElement.GetProperty("omittedErrors").GetInt32());
    }

    [Fact]
    public async Task A_repeated_key_is_400_saying_on_which_line_and_byte()
    {
        var eventId = TestWebhooks.NewEventId();
        var body = TestWebhooks.Envelope(eventId).Replace("\"type\"", "\n\"id\":\"again\",\"type\"", StringComparison.Ordinal);

        using var response = await ingress.Client.SendAsync(TestWebhooks.Hex("hex", body), Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));
        Assert.Contains("(line 2, byte 1)", problem.RootElement.GetProperty("errors").GetProperty("$").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_standard_webhooks_event_records_its_webhook_id_and_github_style_signing_works()
    {
        var standardId = TestWebhooks.NewEventId();
        var githubId = TestWebhooks.NewEventId();

        using var standard = await ingress.Client.SendAsync(
            TestWebhooks.StandardWebhooks("standard", TestWebhooks.Envelope(standardId), DateTimeOffset.UtcNow, "msg_abc"), Cancellation);
        using var github = await ingress.Client.SendAsync(TestWebhooks.GitHub("github", TestWebhooks.Envelope(githubId)), Cancellation);

        Assert.Equal(HttpStatusCode.Accepted, standard.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, github.StatusCode);
        var stored = Assert.Single(await ingress.StoredAsync(standardId));
        Assert.Equal(("standard-webhooks", "msg_abc"), (stored.Scheme, stored.WebhookId));
        Assert.Equal("github", Assert.Single(await ingress.StoredAsync(githubId)).Scheme);
    }

    [Fact]
    public async Task The_raw_body_is_stored_byte_for_byte_including_escapes_and_unknown_fields()
    {
        var eventId = TestWebhooks.NewEventId();
        var body = $$$$"""
            {"id":"{{{{eventId}}}}",  "type":"task.executed","timestamp":"2026-11-26T10:00:00Z","version":1,
             "data":{"taskId":"t\u0000","name":"n\u00e9","status":"failed","future":{"x":[1,2,3]}}}
            """;

        using var response = await ingress.Client.SendAsync(TestWebhooks.GitHub("github", body), Cancellation);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(Encoding.UTF8.GetBytes(body), Assert.Single(await ingress.StoredAsync(eventId)).Body);
        var task = Assert.IsType<TaskExecuted>((await ingress.Published.WaitForAsync(eventId)).Typed);
        Assert.Equal(("t\0", "né"), (task.TaskId, task.Name));
    }

    [Fact]
    public async Task A_source_over_its_rate_gets_429_with_retry_after_and_nothing_stored()
    {
        var answers = new List<(HttpStatusCode Status, string? RetryAfter, string EventId)>();
        for (var index = 0; index < 4; index++)
        {
            var eventId = TestWebhooks.NewEventId();
            using var response = await ingress.Client.SendAsync(TestWebhooks.Hex("limited", TestWebhooks.Envelope(eventId)), Cancellation);
            answers.Add((response.StatusCode, response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), eventId));
        }

        // Burst 2 at 0.5 per second: two pass, the next wait about two seconds.
        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests],
            answers.Select(answer => answer.Status));
        Assert.Equal("2", answers[2].RetryAfter);
        Assert.Empty(await ingress.StoredAsync(answers[3].EventId));
    }

    [Fact]
    public async Task Answers_come_in_the_specs_order_when_several_checks_fail()
    {
        var bigUnsigned = Encoding.UTF8.GetBytes(new string(' ', IngressServiceFixture.SmallSourceLimit + 1));
        using var unknownSourceWrongType = TestWebhooks.Unsigned("nope", bigUnsigned, "text/plain");
        using var wrongTypeTooBig = TestWebhooks.Unsigned("small", bigUnsigned, "text/plain");
        using var tooBigUnsigned = TestWebhooks.Unsigned("small", bigUnsigned);
        using var unsignedInvalid = TestWebhooks.Unsigned("hex", "{"u8.ToArray());
        using var invalidUnsubscribedSigned = TestWebhooks.Hex("hex", """{"id":"x","type":"task.executed"}""");
        using var unsubscribedUnknownVersion = TestWebhooks.Hex("hex", TestWebhooks.Envelope(TestWebhooks.NewEventId(), "task.executed", 9));

        Assert.Equal(HttpStatusCode.NotFound, await Status(unknownSourceWrongType));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, await Status(wrongTypeTooBig));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await Status(tooBigUnsigned));
        Assert.Equal(HttpStatusCode.Unauthorized, await Status(unsignedInvalid));
        Assert.Equal(HttpStatusCode.BadRequest, await Status(invalidUnsubscribedSigned));
        Assert.Equal(HttpStatusCode.OK, await Status(unsubscribedUnknownVersion));
    }

    [Fact]
    public async Task Every_error_is_problem_json_and_a_401_says_nothing_of_why()
    {
        var body = TestWebhooks.Envelope(TestWebhooks.NewEventId());
        using var wrongSecret = TestWebhooks.Hex("hex", body, "not-the-secret");
        using var missing = TestWebhooks.Unsigned("hex", Encoding.UTF8.GetBytes(body));

        using var first = await ingress.Client.SendAsync(wrongSecret, Cancellation);
        using var second = await ingress.Client.SendAsync(missing, Cancellation);

        foreach (var response in new[] { first, second })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));
            Assert.Equal(["status", "title", "traceId", "type"], problem.RootElement.EnumerateObject().Select(p => p.Name).Order());
        }
    }

    [Fact]
    public async Task The_openapi_document_describes_the_webhook_endpoint_and_its_answers()
    {
        using var document = JsonDocument.Parse(await ingress.Management.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), Cancellation));

        var post = document.RootElement.GetProperty("paths").GetProperty("/webhooks/{source}").GetProperty("post");
        Assert.Equal(["200", "202", "400", "401", "404", "408", "413", "415", "422", "429", "503"],
            post.GetProperty("responses").EnumerateObject().Select(response => response.Name).Order());
        Assert.Contains(post.GetProperty("parameters").EnumerateArray(), parameter => parameter.GetProperty("name").GetString() == "webhook-signature");
        var envelope = post.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Assert.Equal(["data", "id", "timestamp", "type", "version"],
            envelope.GetProperty("properties").EnumerateObject().Select(property => property.Name).Order());
    }

    private async Task<HttpStatusCode> Status(HttpRequestMessage request)
    {
        using var response = await ingress.Client.SendAsync(request, Cancellation);
        return response.StatusCode;
    }

    private static async Task<WebhookAnswerBody> Answer(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<WebhookAnswerBody>(Cancellation))!;

    private sealed record WebhookAnswerBody(string Status, Guid Id, string EventId);
}
