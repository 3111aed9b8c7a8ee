using System.Text.RegularExpressions;

namespace Automation.Connectors;

/// <summary>Fills a rule's template: <c>{{data.title}}</c> is replaced by that value, passed through the target's escaping
/// (Slack mrkdwn, HTML, an e-mail header) so event data can never become markup or a header of its own; a name with no
/// value becomes empty. The template's own text is the operator's and is kept as written.</summary>
public static partial class Template
{
    public static string Render(string template, IReadOnlyDictionary<string, string> values, Func<string, string> escape) =>
        Placeholder().Replace(template, match => values.TryGetValue(match.Groups[1].Value, out var value) ? escape(value) : "");

    [GeneratedRegex(@"\{\{\s*([A-Za-z0-9_.\-\[\]]+)\s*\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
