using Microsoft.Net.Http.Headers;

namespace Automation.Ingress.Webhooks;

internal static class JsonContentType
{
    /// <summary>True for <c>application/json</c> and <c>application/*+json</c>, with no charset or UTF-8: the body is
    /// verified and stored as UTF-8 bytes, so any other charset would be misread.</summary>
    public static bool Matches(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType))
        {
            return false;
        }

        var charset = mediaType.Charset;
        if (charset.HasValue && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
            && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var type = mediaType.MediaType;
        return type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (type.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && type.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }
}
