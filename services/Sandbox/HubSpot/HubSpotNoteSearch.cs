namespace Automation.Sandbox.HubSpot;

/// <summary>The CRM search's filters over the stand-in's notes: groups are OR-ed, the filters of a group AND-ed; the
/// operators <c>EQ</c>, <c>NEQ</c>, <c>HAS_PROPERTY</c>, <c>NOT_HAS_PROPERTY</c> and <c>CONTAINS_TOKEN</c> (a whole word of
/// the value, case-insensitive, <c>*</c> as a wildcard).</summary>
internal static class HubSpotNoteSearch
{
    private static readonly string[] Operators = ["EQ", "NEQ", "HAS_PROPERTY", "NOT_HAS_PROPERTY", "CONTAINS_TOKEN"];

    /// <summary>Why the search cannot be run as asked, or null.</summary>
    public static string? Problem(SearchInput search) =>
        (search.FilterGroups ?? []).SelectMany(group => group.Filters ?? []).FirstOrDefault(filter =>
            string.IsNullOrEmpty(filter.PropertyName) || !Operators.Contains(filter.Operator)) is { } bad
            ? $"Unsupported filter: propertyName '{bad.PropertyName}', operator '{bad.Operator}' (the sandbox knows {string.Join(", ", Operators)})"
            : search.Limit is < 0 or > 200 ? "limit must be between 0 and 200" : null;

    public static bool Matches(SearchInput search, CrmRecord note) =>
        search.FilterGroups is not { Count: > 0 } groups
        || groups.Any(group => (group.Filters ?? []).All(filter => Matches(filter, note.Properties.GetValueOrDefault(filter.PropertyName!))));

    private static bool Matches(FilterInput filter, string? value) => filter.Operator switch
    {
        "EQ" => string.Equals(value, filter.Value, StringComparison.OrdinalIgnoreCase),
        "NEQ" => !string.Equals(value, filter.Value, StringComparison.OrdinalIgnoreCase),
        "HAS_PROPERTY" => !string.IsNullOrEmpty(value),
        "NOT_HAS_PROPERTY" => string.IsNullOrEmpty(value),
        _ => value is not null && filter.Value is not null && Tokens(value).Any(token => TokenMatches(token, filter.Value)),
    };

    private static IEnumerable<string> Tokens(string value) =>
        value.Split(value.Where(character => !char.IsLetterOrDigit(character)).Distinct().ToArray(), StringSplitOptions.RemoveEmptyEntries);

    private static bool TokenMatches(string token, string wanted) =>
        wanted.EndsWith('*')
            ? token.StartsWith(wanted.TrimEnd('*'), StringComparison.OrdinalIgnoreCase)
            : string.Equals(token, wanted, StringComparison.OrdinalIgnoreCase);
}
