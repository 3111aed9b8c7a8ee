using System.Net;
using System.Security.Cryptography;
using System.Text;
using Automation.Connectors;

namespace Automation.CrmSync.Notes;

/// <summary>The rich text (HTML) of the note a step logs: the rule's template with every event value HTML-escaped, then a
/// line naming the step's key and its <see cref="MarkerOf">marker</see>, by which the note can be found again when the
/// step's outcome is unknown.</summary>
public static class NoteBody
{
    public static string Render(string template, IReadOnlyDictionary<string, string> values, string idempotencyKey) =>
        Template.Render(template, values, WebUtility.HtmlEncode)
        + $"<p>Automation step {WebUtility.HtmlEncode(idempotencyKey)} (ref {MarkerOf(idempotencyKey)})</p>";

    /// <summary>One word derived from the step's key (<c>automation</c> and 32 hex digits of its SHA-256): HubSpot's search
    /// matches whole tokens, and the key itself is split at its colons.</summary>
    public static string MarkerOf(string idempotencyKey) =>
        "automation" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)))[..32];
}
