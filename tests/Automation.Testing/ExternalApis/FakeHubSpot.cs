using WireMock;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.Server;

namespace Automation.Testing.ExternalApis;

/// <summary>HubSpot's CRM v3 API as a real HTTP server (WireMock.Net), answering each test's calls by their idempotency key
/// with the answers HubSpot documents, and recording every call for the test to read.</summary>
public sealed class FakeHubSpot : IDisposable
{
    public const string UpsertPath = "/crm/v3/objects/contacts/batch/upsert";
    public const string NotesPath = "/crm/v3/objects/notes";
    public const string SearchPath = "/crm/v3/objects/notes/search";

    public WireMockServer Server { get; } = WireMockServer.Start();

    public Uri BaseUrl => new($"{Server.Url}/");

    /// <summary>Answers the calls of <paramref name="key"/> to <paramref name="path"/> with <paramref name="answers"/> in turn;
    /// the last one answers every later call.</summary>
    public void Answers(string method, string path, string key, params ApiReply[] answers) =>
        Server.AnswerInTurn(
            Request.Create().WithPath(path).UsingMethod(method).WithHeader(KeyedStubs.IdempotencyKeyHeader, new ExactMatcher(key)),
            $"{method} {path} {key}",
            [.. answers.Select(answer => answer.ToResponse())]);

    public void AnswersContactUpsert(string key, string contactId) => Answers("POST", UpsertPath, key, ContactUpserted(contactId));

    public void AnswersNoteCreation(string key, string noteId) => Answers("POST", NotesPath, key, NoteCreated(noteId));

    /// <summary>Answers the two calls of a <c>crm.log_activity</c> step: its contact's upsert, then the note's creation.</summary>
    public void AnswersActivity(string key, string contactId, string noteId)
    {
        AnswersContactUpsert(key, contactId);
        AnswersNoteCreation(key, noteId);
    }

    /// <summary>Answers the deletion of <paramref name="noteId"/> by the compensation <paramref name="key"/>: 204 unless told.</summary>
    public void AnswersNoteDeletion(string key, string noteId, params ApiReply[] answers) =>
        Answers("DELETE", $"{NotesPath}/{noteId}", key, answers.Length > 0 ? answers : [new ApiReply(204)]);

    public static ApiReply ContactUpserted(string contactId, string email = "ada@example.com") => new(200, $$"""
        {"status":"COMPLETE","results":[{"id":"{{contactId}}","properties":{"email":"{{email}}","hs_object_id":"{{contactId}}"},
        "createdAt":"2026-11-26T10:00:00.000Z","updatedAt":"2026-11-26T10:00:00.000Z","archived":false,"new":true}],
        "startedAt":"2026-11-26T10:00:00.000Z","completedAt":"2026-11-26T10:00:00.100Z"}
        """);

    public static ApiReply NoteCreated(string noteId) => new(201, $$"""
        {"id":"{{noteId}}","properties":{"hs_object_id":"{{noteId}}","hs_timestamp":"2026-11-26T10:00:00.000Z"},
        "createdAt":"2026-11-26T10:00:01.000Z","updatedAt":"2026-11-26T10:00:01.000Z","archived":false}
        """);

    /// <summary>A notes search that found nothing.</summary>
    public static ApiReply NothingFound() => new(200, """{"total":0,"results":[]}""");

    /// <summary>HubSpot's error body (<c>status</c>, <c>message</c>, <c>correlationId</c>, <c>category</c>).</summary>
    public static ApiReply Error(int status, string category, string message) => new(status, $$"""
        {"status":"error","message":"{{message}}","correlationId":"{{Guid.NewGuid()}}","category":"{{category}}"}
        """);

    /// <summary>HubSpot's 429: <c>errorType</c> and <c>policyName</c> instead of a category.</summary>
    public static ApiReply RateLimited(string retryAfter) => new(429, $$"""
        {"status":"error","message":"You have reached your secondly limit.","errorType":"RATE_LIMIT",
         "correlationId":"{{Guid.NewGuid()}}","policyName":"SECONDLY"}
        """, retryAfter);

    /// <summary>Every call that carried <paramref name="key"/>, oldest first.</summary>
    public IReadOnlyList<IRequestMessage> CallsWith(string key) => Server.CallsWith(key);

    public void Dispose() => Server.Stop();
}
