using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Automation.Sandbox;
using Automation.Testing;

namespace Automation.CrmSync.Tests;

/// <summary>The Sandbox's HubSpot stand-in speaks HubSpot's CRM v3 API as CrmSync uses it, and honours idempotency keys:
/// a repeated key gets the first answer and has no second effect.</summary>
public sealed class HubSpotStandInTests : IAsyncDisposable
{
    private readonly ServiceFactory<SandboxLedger> _sandbox = new(new Dictionary<string, string>());
    private readonly HttpClient _client;

    public HubSpotStandInTests()
    {
        _client = _sandbox.CreateClient();
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "pat-sandbox-test");
    }

    [Fact]
    public async Task A_repeated_key_gets_the_first_answer_and_creates_no_second_note()
    {
        var contactId = await UpsertAsync("ada@example.com", "key-contact", new { firstname = "Ada" });

        var first = await CreateNoteAsync(contactId, "<p>Survey completed (ref automationtoken1)</p>", "key-note");
        var second = await CreateNoteAsync(contactId, "<p>Survey completed (ref automationtoken1)</p>", "key-note");

        Assert.Equal(first, second);
        var found = await SearchAsync("automationtoken1", "key-search");
        Assert.Equal(1, found["total"]!.GetValue<int>());
        var calls = await _client.GetFromJsonAsync<JsonArray>("/sandbox/calls", TestContext.Current.CancellationToken);
        var noteCalls = calls!.Where(call => (string?)call!["path"] == "/hubspot/crm/v3/objects/notes").ToArray();
        Assert.Equal(["applied", "replayed"], noteCalls.Select(call => (string?)call!["effect"]));
        Assert.All(noteCalls, call => Assert.Equal("key-note", (string?)call!["idempotencyKey"]));
    }

    [Fact]
    public async Task Contacts_are_upserted_by_email_and_keep_one_id()
    {
        var created = await UpsertAnswerAsync("grace@example.com", "key-1", new { firstname = "Grace" });
        var updated = await UpsertAnswerAsync("GRACE@example.com", "key-2", new { lastname = "Hopper" });

        Assert.Equal(created["id"]!.ToString(), updated["id"]!.ToString());
        Assert.True(created["new"]!.GetValue<bool>());
        Assert.False(updated["new"]!.GetValue<bool>());
        var contact = await _client.GetFromJsonAsync<JsonObject>("/hubspot/crm/v3/objects/contacts/grace@example.com?idProperty=email",
            TestContext.Current.CancellationToken);
        Assert.Equal("Grace", (string?)contact!["properties"]!["firstname"]);
        Assert.Equal("Hopper", (string?)contact["properties"]!["lastname"]);
    }

    [Fact]
    public async Task A_note_is_found_by_a_whole_token_of_its_body_and_deleted_once()
    {
        var contactId = await UpsertAsync("ada@example.com", "key-contact", new { });
        var noteId = await CreateNoteAsync(contactId, "<p>Hello (ref automationabc123)</p>", "key-note");

        Assert.Equal(1, (await SearchAsync("automationabc123", "key-search-1"))["total"]!.GetValue<int>());
        Assert.Equal(0, (await SearchAsync("automationabc", "key-search-2"))["total"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.NoContent, await DeleteAsync(noteId, "key-delete-1"));
        Assert.Equal(HttpStatusCode.NotFound, await DeleteAsync(noteId, "key-delete-2"));
        using var gone = await _client.GetAsync(new Uri($"/hubspot/crm/v3/objects/notes/{noteId}", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task A_search_is_answered_afresh_even_under_a_repeated_key()
    {
        var contactId = await UpsertAsync("ada@example.com", "key-contact", new { });
        Assert.Equal(0, (await SearchAsync("automationlater", "key-compensate"))["total"]!.GetValue<int>());

        await CreateNoteAsync(contactId, "<p>(ref automationlater)</p>", "key-note");

        Assert.Equal(1, (await SearchAsync("automationlater", "key-compensate"))["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task Bad_calls_are_refused_as_HubSpot_refuses_them()
    {
        using var anonymous = _sandbox.CreateClient();

        using var unauthenticated = await anonymous.PostAsJsonAsync("/hubspot/crm/v3/objects/notes", new { properties = new { } },
            TestContext.Current.CancellationToken);
        using var noTimestamp = await PostAsync("/hubspot/crm/v3/objects/notes", "key-a", new { properties = new { hs_note_body = "x" } });
        using var unknownContact = await PostAsync("/hubspot/crm/v3/objects/notes", "key-b", NoteBody("999999", "x"));
        using var invalidEmail = await PostAsync("/hubspot/crm/v3/objects/contacts/batch/upsert", "key-c",
            new { inputs = new[] { new { id = "not-an-address", idProperty = "email", properties = new { } } } });

        await AssertRefusedAsync(unauthenticated, HttpStatusCode.Unauthorized, "INVALID_AUTHENTICATION");
        await AssertRefusedAsync(noTimestamp, HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        await AssertRefusedAsync(unknownContact, HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        await AssertRefusedAsync(invalidEmail, HttpStatusCode.BadRequest, "VALIDATION_ERROR");
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _sandbox.DisposeAsync();
    }

    private static object NoteBody(string contactId, string body) => new
    {
        properties = new { hs_timestamp = "2026-11-26T10:00:00.000Z", hs_note_body = body },
        associations = new[] { new { to = new { id = contactId }, types = new[] { new { associationCategory = "HUBSPOT_DEFINED", associationTypeId = 202 } } } },
    };

    private async Task<string> UpsertAsync(string email, string key, object properties) =>
        (await UpsertAnswerAsync(email, key, properties))["id"]!.ToString();

    private async Task<JsonObject> UpsertAnswerAsync(string email, string key, object properties)
    {
        using var response = await PostAsync("/hubspot/crm/v3/objects/contacts/batch/upsert", key,
            new { inputs = new[] { new { id = email, idProperty = "email", properties } } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken);
        return Assert.Single(answer!["results"]!.AsArray())!.AsObject();
    }

    private async Task<string> CreateNoteAsync(string contactId, string body, string key)
    {
        using var response = await PostAsync("/hubspot/crm/v3/objects/notes", key, NoteBody(contactId, body));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!["id"]!.ToString();
    }

    private async Task<JsonObject> SearchAsync(string token, string key)
    {
        using var response = await PostAsync("/hubspot/crm/v3/objects/notes/search", key, new
        {
            filterGroups = new[] { new { filters = new[] { new { propertyName = "hs_note_body", @operator = "CONTAINS_TOKEN", value = token } } } },
            properties = new[] { "hs_note_body" },
            limit = 10,
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!;
    }

    private async Task<HttpStatusCode> DeleteAsync(string noteId, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"/hubspot/crm/v3/objects/notes/{noteId}");
        request.Headers.Add("Idempotency-Key", key);
        using var response = await _client.SendAsync(request, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    private Task<HttpResponseMessage> PostAsync(string path, string key, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return _client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, string category)
    {
        Assert.Equal(status, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken);
        Assert.Equal("error", (string?)error!["status"]);
        Assert.Equal(category, (string?)error["category"]);
        Assert.False(string.IsNullOrEmpty((string?)error["message"]));
    }
}
