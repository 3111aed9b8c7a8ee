using Microsoft.Extensions.Primitives;

namespace Automation.Ingress.Signatures;

internal static class SignedHeaders
{
    /// <summary>Reads a header that must be present exactly once and not empty: a repeated signature header is
    /// ambiguous (which one did the sender mean?), so it fails verification like a missing one.</summary>
    public static bool TryGetSingle(IHeaderDictionary headers, string name, out string value)
    {
        value = "";
        if (!headers.TryGetValue(name, out StringValues values) || values.Count != 1 || string.IsNullOrEmpty(values[0]))
        {
            return false;
        }

        value = values[0]!;
        return true;
    }
}
