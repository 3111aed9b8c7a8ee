namespace Automation.CiTrigger.GitHub;

/// <summary>Whether a run's title shows a step's key as a word of its own: keys of steps 1 and 10 share a prefix, so a
/// plain substring would match the wrong run.</summary>
public static class RunTitle
{
    public static bool Shows(string? title, string key)
    {
        if (string.IsNullOrEmpty(title) || key.Length == 0)
        {
            return false;
        }

        for (var at = title.IndexOf(key, StringComparison.Ordinal); at >= 0; at = title.IndexOf(key, at + 1, StringComparison.Ordinal))
        {
            var end = at + key.Length;
            if ((at == 0 || char.IsWhiteSpace(title[at - 1])) && (end == title.Length || char.IsWhiteSpace(title[end])))
            {
                return true;
            }
        }

        return false;
    }
}
