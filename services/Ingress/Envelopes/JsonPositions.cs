using System.Text.Json;

namespace Automation.Ingress.Envelopes;

internal static class JsonPositions
{
    /// <summary>Where the first property name repeated within one object starts (line and byte in that line, from 1),
    /// names compared unescaped as the parser compares them; null when no object repeats a name.</summary>
    public static (long Line, long Byte)? OfRepeatedProperty(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        var objects = new Stack<HashSet<string>>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        objects.Push(new HashSet<string>(StringComparer.Ordinal));
                        break;
                    case JsonTokenType.EndObject:
                        objects.Pop();
                        break;
                    case JsonTokenType.PropertyName when !objects.Peek().Add(reader.GetString()!):
                        return PositionOf(json, reader.TokenStartIndex);
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON after all: nothing to locate.
        }

        return null;
    }

    private static (long Line, long Byte) PositionOf(ReadOnlySpan<byte> json, long index)
    {
        var before = json[..(int)index];
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        return (before.Count((byte)'\n') + 1, index - lineStart + 1);
    }
}
