namespace Automation.CrmSync.HubSpot;

// The bodies of the HubSpot CRM v3 calls CrmSync makes, as HubSpot names their fields (camelCase on the wire).

/// <summary><c>POST /crm/v3/objects/contacts/batch/upsert</c>: each input names its record by a unique property.</summary>
internal sealed record BatchUpsertRequest(IReadOnlyList<UpsertInput> Inputs);

internal sealed record UpsertInput(string Id, string IdProperty, IReadOnlyDictionary<string, string> Properties);

/// <summary>The answer of a batch call: 200 when every input succeeded, 207 when some failed (then in <c>errors</c>).</summary>
internal sealed record BatchResponse(string? Status, IReadOnlyList<CrmObject>? Results, IReadOnlyList<BatchError>? Errors);

internal sealed record BatchError(string? Status, string? Category, string? Message);

/// <summary>A record as HubSpot returns it (a contact, a note).</summary>
internal sealed record CrmObject(string? Id, IReadOnlyDictionary<string, string?>? Properties);

/// <summary><c>POST /crm/v3/objects/notes</c>: the note's properties and the records it is associated with.</summary>
internal sealed record CreateObjectRequest(IReadOnlyDictionary<string, string> Properties, IReadOnlyList<AssociationInput> Associations);

internal sealed record AssociationInput(AssociationTarget To, IReadOnlyList<AssociationType> Types);

internal sealed record AssociationTarget(string Id);

internal sealed record AssociationType(string AssociationCategory, int AssociationTypeId);

/// <summary><c>POST /crm/v3/objects/notes/search</c>: filter groups are OR-ed, the filters of a group AND-ed.</summary>
internal sealed record SearchRequest(IReadOnlyList<FilterGroup> FilterGroups, IReadOnlyList<string> Properties, int Limit);

internal sealed record FilterGroup(IReadOnlyList<Filter> Filters);

internal sealed record Filter(string PropertyName, string Operator, string Value);

internal sealed record SearchResponse(int Total, IReadOnlyList<CrmObject>? Results);
