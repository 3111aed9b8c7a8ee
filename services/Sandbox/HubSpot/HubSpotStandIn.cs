namespace Automation.Sandbox.HubSpot;

/// <summary>HubSpot's CRM v3 API as CrmSync calls it, under <c>/hubspot</c>: contacts upserted by e-mail, notes associated
/// with contacts, the notes search and note deletion — same paths, bodies, answers and error shapes, in memory. A call
/// without <c>Authorization: Bearer …</c> is refused as HubSpot refuses it.</summary>
public static class HubSpotStandIn
{
    /// <summary>HubSpot's default association from a note to a contact, the only one the stand-in keeps.</summary>
    public const int NoteToContact = 202;

    public static IEndpointRouteBuilder MapHubSpotStandIn(this IEndpointRouteBuilder app)
    {
        var crm = app.MapStandIn("hubspot").AddEndpointFilter(async (context, next) =>
            context.HttpContext.Request.Headers.Authorization.ToString() is { } authorization
            && authorization.StartsWith("Bearer ", StringComparison.Ordinal) && authorization.Length > "Bearer ".Length
                ? await next(context)
                : HubSpotErrors.Unauthorized());

        crm.MapPost("/crm/v3/objects/contacts/batch/upsert", UpsertContacts).WithSummary("Create or update contacts by e-mail");
        crm.MapGet("/crm/v3/objects/contacts/{contactId}", (string contactId, string? idProperty, HubSpotCrm store) =>
            store.Contact(contactId, idProperty == "email") is { } contact ? Results.Json(contact.ToAnswer()) : HubSpotErrors.NotFound(contactId));
        crm.MapPost("/crm/v3/objects/notes", CreateNote).WithSummary("Create a note associated with contacts");
        crm.MapGet("/crm/v3/objects/notes/{noteId}", (string noteId, HubSpotCrm store) =>
            store.Note(noteId) is { } note ? Results.Json(note.ToAnswer()) : HubSpotErrors.NotFound(noteId));
        crm.MapPost("/crm/v3/objects/notes/search", SearchNotes).AsLookup().WithSummary("Search notes");
        crm.MapDelete("/crm/v3/objects/notes/{noteId}", (string noteId, HubSpotCrm store) =>
            store.ArchiveNote(noteId) ? Results.NoContent() : HubSpotErrors.NotFound(noteId)).WithSummary("Archive a note");
        return app;
    }

    private static async Task<IResult> UpsertContacts(HttpRequest request, HubSpotCrm store, TimeProvider clock)
    {
        var (batch, refusal) = await HubSpotErrors.ReadAsync<UpsertBatch>(request);
        if (batch is null)
        {
            return refusal!;
        }

        if (batch.Inputs is not { Count: > 0 } inputs)
        {
            return HubSpotErrors.Validation("inputs: must not be empty");
        }

        if (inputs.FirstOrDefault(input => input.IdProperty != "email") is { } other)
        {
            return HubSpotErrors.Validation($"idProperty '{other.IdProperty}': the sandbox upserts contacts by email only");
        }

        if (inputs.FirstOrDefault(input => input.Id is not { } email || !email.Contains('@', StringComparison.Ordinal)) is { } invalid)
        {
            return HubSpotErrors.Validation(
                $"Property values were not valid: [{{\"isValid\":false,\"message\":\"Email address {invalid.Id} is invalid\",\"error\":\"INVALID_EMAIL\",\"name\":\"email\"}}]");
        }

        var startedAt = clock.GetUtcNow();
        var results = inputs.Select(input =>
        {
            var (contact, created) = store.UpsertContact(input.Id!, input.Properties ?? []);
            return contact.ToAnswer() with { New = created };
        }).ToArray();
        return Results.Json(new { status = "COMPLETE", results, startedAt, completedAt = clock.GetUtcNow() });
    }

    private static async Task<IResult> CreateNote(HttpRequest request, HubSpotCrm store)
    {
        var (input, refusal) = await HubSpotErrors.ReadAsync<NoteInput>(request);
        if (input is null)
        {
            return refusal!;
        }

        if (input.Properties?.GetValueOrDefault("hs_timestamp") is not { Length: > 0 })
        {
            return HubSpotErrors.Validation("Property values were not valid: hs_timestamp is required");
        }

        var associations = input.Associations ?? [];
        if (associations.Any(association => association.To?.Id is null
            || association.Types is not { Count: > 0 } types
            || types.Any(type => type is not { AssociationCategory: "HUBSPOT_DEFINED", AssociationTypeId: NoteToContact })))
        {
            return HubSpotErrors.Validation(
                $"associations: the sandbox associates notes with contacts only (HUBSPOT_DEFINED, type {NoteToContact}), each with a to.id");
        }

        return store.CreateNote(input.Properties, associations.Select(association => association.To!.Id!).ToArray()) is { } note
            ? Results.Json(note.ToAnswer(), statusCode: StatusCodes.Status201Created)
            : HubSpotErrors.Validation("associations: one or more associated contacts do not exist");
    }

    private static async Task<IResult> SearchNotes(HttpRequest request, HubSpotCrm store)
    {
        var (search, refusal) = await HubSpotErrors.ReadAsync<SearchInput>(request);
        if (search is null)
        {
            return refusal!;
        }

        if (HubSpotNoteSearch.Problem(search) is { } problem)
        {
            return HubSpotErrors.Validation(problem);
        }

        var found = store.Notes(note => HubSpotNoteSearch.Matches(search, note));
        var skip = int.TryParse(search.After, out var after) ? after : 0;
        var limit = search.Limit ?? 10;
        var page = found.Skip(skip).Take(limit).Select(note => note.ToAnswer(search.Properties ?? [])).ToArray();
        var next = skip + limit < found.Count ? new { next = new { after = (skip + limit).ToString(System.Globalization.CultureInfo.InvariantCulture) } } : null;
        return Results.Json(new { total = found.Count, results = page, paging = next });
    }
}
