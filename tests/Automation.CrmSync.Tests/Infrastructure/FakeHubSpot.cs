using System.Text.Json.Nodes;
using Automation.Connectors;
using WireMock;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Automation.CrmSync.Tests.Infrastructure;

/// <summary>HubSpot's CRM v3 API as a real HTTP server (WireMock.Net), answering each test's calls by their idempotency key
/// with the answers HubSpot documents, and recording every call for the test to read.</summary>
public sealed class FakeHubSpot : IDisposable
{
    public const string UpsertPath = "/crm/v3/objects/contacts/batch/upsert";
    public const string NotesPath = "/crm/v3/objects/notes";
    public const string SearchPath = "/crm/v3/objects/notes/search";

    public WireMockServer Server { get; } = WireMockServer.Start();

    public Uri BaseUrl => new($"{Server.Url}/");

    /// <summary>One answer of a sequence: the status, a JSON body, and a <c>Retry-After</c> or a delay if any.</summary>
    public sealed record Answer(int Status, string? Json = null, string? RetryAfter = null, TimeSpan? Delay = null);

    /// <summary>Answers the calls of <paramref name="key"/> to <paramref name="path"/> with <paramref name="answers"/> in turn;
    /// the last one answers every later call.</summary>
    public void Answers(string method, string path, string key, params Answer[] answers)
    {
        for (var turn = 0; turn < answers.Length; turn++)
        {
            var request = Request.Create().WithPath(path).UsingMethod(method)
                .WithHeader(ExternalCall.IdempotencyKeyHeader, new ExactMatcher(key));
            var mapping = Server.Given(request);
            if (answers.Length == 1)
            {
                mapping.RespondWith(ResponseOf(answers[turn]));
                return;
            }

            mapping = mapping.InScenario($"{method} {path} {key}");
            if (turn > 0)
            {
                mapping = mapping.WhenStateIs($"answered {turn}");
            }

            if (turn < answers.Length - 1)
            {
                mapping = mapping.WillSetStateTo($"answered {turn + 1}");
            }

            mapping.RespondWith(ResponseOf(answers[turn]));
        }
    }

    public void AnswersContactUpsert(string key, string contactId) => Answers("POST", UpsertPath, key, ContactUpserted(contactId));

    public void AnswersNoteCreation(string key, string noteId) => Answers("POST", NotesPath, key, NoteCreated(noteId));

    public static Answer ContactUpserted(string contactId, string email = "ada@example.com") => new(200, $$"""
        {"status":"COMPLETE","results":[{"id":"{{contactId}}","properties":{"email":"{{email}}","hs_object_id":"{{contactId}}"},
        "createdAt":"2026-11-26T10:00:00.000Z","updatedAt":"2026-11-26T10:00:00.000Z","archived":false,"new":true}],
        "startedAt":"2026-11-26T10:00:00.000Z","completedAt":"2026-11-26T10:00:00.100Z"}
        """);

    public static Answer NoteCreated(string noteId) => new(201, $$"""
        {"id":"{{noteId}}","properties":{"hs_object_id":"{{noteId}}","hs_timestamp":"2026-11-26T10:00:00.000Z"},
        "createdAt":"2026-11-26T10:00:01.000Z","updatedAt":"2026-11-26T10:00:01.000Z","archived":false}
        """);

    /// <summary>HubSpot's error body (<c>status</c>, <c>message</c>, <c>correlationId</c>, <c>category</c>).</summary>
    public static Answer Error(int status, string category, string message) => new(status, $$"""
        {"status":"error","message":"{{message}}","correlationId":"{{Guid.NewGuid()}}","category":"{{category}}"}
        """);

    /// <summary>HubSpot's 429: <c>errorType</c> and <c>policyName</c> instead of a category.</summary>
    public static Answer RateLimited(string retryAfter) => new(429, $$"""
        {"status":"error","message":"You have reached your secondly limit.","errorType":"RATE_LIMIT",
         "correlationId":"{{Guid.NewGuid()}}","policyName":"SECONDLY"}
        """, retryAfter);

    /// <summary>Every call that carried <paramref name="key"/>, oldest first.</summary>
    public IReadOnlyList<IRequestMessage> CallsWith(string key) =>
        Server.LogEntries.Select(entry => entry.RequestMessage)
            .Where(call => HeaderOf(call, ExternalCall.IdempotencyKeyHeader) == key)
            .OrderBy(call => call.DateTime)
            .ToArray();

    public static string? HeaderOf(IRequestMessage call, string name) =>
        call.Headers?.FirstOrDefault(header => string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();

    /// <summary>Asserts a call's JSON body equals <paramref name="expected"/> (property order aside).</summary>
    public static void AssertJsonBody(string expected, IRequestMessage call)
    {
        var actual = JsonNode.Parse(call.Body ?? "null");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"Expected body {expected}{Environment.NewLine}but got {call.Body}");
    }

    public void Dispose() => Server.Stop();

    private static IResponseBuilder ResponseOf(Answer answer)
    {
        var response = Response.Create().WithStatusCode(answer.Status);
        if (answer.Json is not null)
        {
            response = response.WithHeader("Content-Type", "application/json;charset=utf-8").WithBody(answer.Json);
        }

        if (answer.RetryAfter is not null)
        {
            response = response.WithHeader("Retry-After", answer.RetryAfter);
        }

        return answer.Delay is { } delay ? response.WithDelay(delay) : response;
    }
}

/// <summary>The CrmSync service calling a <see cref="FakeHubSpot"/>: one per test class.</summary>
public class CrmSyncWithFakeHubSpot : IAsyncLifetime
{
    public FakeHubSpot HubSpot { get; } = new();

    public CrmSyncService Service { get; private set; } = null!;

    /// <summary>How long a call may take before it fails (transiently).</summary>
    public virtual TimeSpan CallTimeout => TimeSpan.FromSeconds(5);

    public async ValueTask InitializeAsync() => Service = await CrmSyncService.Start(HubSpot.BaseUrl, CallTimeout);

    public async ValueTask DisposeAsync()
    {
        if (Service is not null)
        {
            await Service.DisposeAsync();
        }

        HubSpot.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>The CrmSync service giving up on a call after one second: for the tests of a HubSpot that hangs.</summary>
public sealed class CrmSyncWithImpatientCalls : CrmSyncWithFakeHubSpot
{
    public override TimeSpan CallTimeout => TimeSpan.FromSeconds(1);
}
