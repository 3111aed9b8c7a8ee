using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Automation.Connectors;

namespace Automation.CrmSync.HubSpot;

/// <summary>The HubSpot CRM v3 calls CrmSync makes. Every call carries the step's key in <c>Idempotency-Key</c>: HubSpot
/// ignores it, the Sandbox honours it. Failures surface as transient or permanent step failures (<see cref="ExternalCall"/>).</summary>
public sealed class HubSpotClient(HttpClient http)
{
    /// <summary>HubSpot's default (unlabelled) association from a note to a contact.</summary>
    public const int NoteToContactAssociationTypeId = 202;

    private const string NotesPath = "crm/v3/objects/notes";

    /// <summary>Creates or updates the contact whose e-mail is <paramref name="email"/> (HubSpot's natural key for contacts,
    /// so a repeated upsert changes nothing more) and returns its id.</summary>
    public async Task<string> UpsertContactAsync(string email, IReadOnlyDictionary<string, string> properties, string idempotencyKey,
        CancellationToken cancellationToken)
    {
        const string operation = "HubSpot contact upsert";
        var body = new BatchUpsertRequest([new UpsertInput(email, "email", properties)]);
        using var response = await SendAsync(HttpMethod.Post, "crm/v3/objects/contacts/batch/upsert", body, idempotencyKey, operation,
            cancellationToken);
        var answer = await response.ReadJsonAsync<BatchResponse>(operation, cancellationToken);
        return answer.Results?.FirstOrDefault(contact => !string.IsNullOrEmpty(contact.Id))?.Id
            ?? throw new PermanentStepException($"{operation}: HubSpot upserted no contact ({ErrorsOf(answer)})");
    }

    /// <summary>Creates a note on the contact <paramref name="contactId"/> and returns the note's id.</summary>
    /// <param name="body">The note's rich text (HTML), already escaped.</param>
    public async Task<string> CreateNoteAsync(string contactId, string body, DateTimeOffset timestamp, string idempotencyKey,
        CancellationToken cancellationToken)
    {
        const string operation = "HubSpot note creation";
        var note = new CreateObjectRequest(
            new Dictionary<string, string>
            {
                ["hs_timestamp"] = timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                ["hs_note_body"] = body,
            },
            [new AssociationInput(new AssociationTarget(contactId), [new AssociationType("HUBSPOT_DEFINED", NoteToContactAssociationTypeId)])]);
        using var response = await SendAsync(HttpMethod.Post, NotesPath, note, idempotencyKey, operation, cancellationToken);
        var created = await response.ReadJsonAsync<CrmObject>(operation, cancellationToken);
        return string.IsNullOrEmpty(created.Id) ? throw new PermanentStepException($"{operation}: the answer had no note id") : created.Id;
    }

    /// <summary>The ids of the notes whose body holds <paramref name="token"/> (a word of its own: HubSpot's search matches
    /// whole tokens). Search is eventually consistent: a note created a moment ago may not be found yet.</summary>
    public async Task<IReadOnlyList<string>> FindNotesAsync(string token, string idempotencyKey, CancellationToken cancellationToken)
    {
        const string operation = "HubSpot note search";
        var search = new SearchRequest([new FilterGroup([new Filter("hs_note_body", "CONTAINS_TOKEN", token)])], ["hs_note_body"], 10);
        using var response = await SendAsync(HttpMethod.Post, $"{NotesPath}/search", search, idempotencyKey, operation, cancellationToken);
        var answer = await response.ReadJsonAsync<SearchResponse>(operation, cancellationToken);
        // The token filter is HubSpot's; the exact text check is ours, so a near match is never deleted.
        return (answer.Results ?? [])
            .Where(note => !string.IsNullOrEmpty(note.Id)
                && note.Properties?.GetValueOrDefault("hs_note_body")?.Contains(token, StringComparison.Ordinal) == true)
            .Select(note => note.Id!)
            .ToArray();
    }

    /// <summary>Archives (deletes) the note; false when HubSpot no longer has it (404).</summary>
    public async Task<bool> DeleteNoteAsync(string noteId, string idempotencyKey, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Delete, $"{NotesPath}/{Uri.EscapeDataString(noteId)}", body: null, idempotencyKey,
            "HubSpot note deletion", cancellationToken, HttpStatusCode.NotFound);
        return response.StatusCode != HttpStatusCode.NotFound;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body, string idempotencyKey,
        string operation, CancellationToken cancellationToken, params HttpStatusCode[] handledStatuses)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative))
        {
            Content = body is null ? null : JsonContent.Create(body, body.GetType()),
        };
        request.Headers.Add(ExternalCall.IdempotencyKeyHeader, idempotencyKey);
        return await http.SendAsync(request, operation, cancellationToken, handledStatuses);
    }

    private static string ErrorsOf(BatchResponse answer) =>
        answer.Errors is { Count: > 0 } errors
            ? string.Join("; ", errors.Select(error => $"{error.Category}: {error.Message}"))
            : "no result and no error in the answer";
}
