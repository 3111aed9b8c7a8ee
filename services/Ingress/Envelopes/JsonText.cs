using System.Text.Json;

namespace Automation.Ingress.Envelopes;

internal static class JsonText
{
    /// <summary>The string's value, or false when it holds an escape that is no Unicode text (an unpaired surrogate
    /// such as <c>"\ud800"</c>): valid JSON, but <see cref="JsonElement.GetString"/> refuses it.</summary>
    public static bool TryGetString(JsonElement element, out string value)
    {
        try
        {
            value = element.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            value = "";
            return false;
        }
    }
}
