namespace Automation.Sandbox.HubSpot;

// The request bodies the stand-in reads, as HubSpot's CRM v3 API names their fields; anything else in them is ignored.

internal sealed record UpsertBatch(List<UpsertInput>? Inputs);

internal sealed record UpsertInput(string? Id, string? IdProperty, Dictionary<string, string?>? Properties);

internal sealed record NoteInput(Dictionary<string, string?>? Properties, List<AssociationInput>? Associations);

internal sealed record AssociationInput(AssociationTarget? To, List<AssociationTypeInput>? Types);

internal sealed record AssociationTarget(string? Id);

internal sealed record AssociationTypeInput(string? AssociationCategory, int AssociationTypeId);

internal sealed record SearchInput(List<FilterGroupInput>? FilterGroups, List<string>? Properties, int? Limit, string? After);

internal sealed record FilterGroupInput(List<FilterInput>? Filters);

internal sealed record FilterInput(string? PropertyName, string? Operator, string? Value);
