using Automation.Connectors;

namespace Automation.CrmSync.Contacts;

/// <summary>What CrmSync writes on a HubSpot contact, from a step's command.</summary>
public static class ContactProperties
{
    /// <summary>The contact's e-mail (HubSpot's natural key for contacts); a command without one cannot be done.</summary>
    public static string RequireEmail(string? email) =>
        string.IsNullOrWhiteSpace(email)
            ? throw new PermanentStepException("the event has no e-mail for the contact")
            : email.Trim();

    /// <summary>The full name split into HubSpot's <c>firstname</c> (the first word) and <c>lastname</c> (the rest), then the
    /// rule's own properties, which win: a rule that names <c>firstname</c> means it.</summary>
    public static IReadOnlyDictionary<string, string> Of(string? name, IReadOnlyDictionary<string, string> extra)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        var words = (name ?? "").Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length > 0)
        {
            properties["firstname"] = words[0];
        }

        if (words.Length > 1)
        {
            properties["lastname"] = words[1];
        }

        foreach (var (property, value) in extra)
        {
            properties[property] = value;
        }

        return properties;
    }
}
