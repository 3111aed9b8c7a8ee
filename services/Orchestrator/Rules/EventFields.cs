using System.Globalization;
using System.Text.Json;

namespace Automation.Orchestrator.Rules;

/// <summary>One event's data as flat field paths (<c>toState</c>, <c>author.email</c>, <c>answers[0].value</c>): the
/// values conditions test and steps take. A null field is absent.</summary>
public sealed class EventFields
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _containers = new(StringComparer.Ordinal);

    private EventFields()
    {
    }

    /// <summary>Every field with a value, by path.</summary>
    public IReadOnlyDictionary<string, string> Values => _values;

    public static EventFields Of(JsonElement data)
    {
        var fields = new EventFields();
        fields.Add("", data);
        return fields;
    }

    /// <summary>A value, or an object or list, is there (not missing, not null).</summary>
    public bool IsPresent(string path) => _values.ContainsKey(path) || _containers.Contains(path);

    public string? ValueOf(string? path) => path is not null && _values.TryGetValue(path, out var value) ? value : null;

    private void Add(string path, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                _containers.Add(path);
                foreach (var property in element.EnumerateObject())
                {
                    Add(path.Length == 0 ? property.Name : $"{path}.{property.Name}", property.Value);
                }

                break;
            case JsonValueKind.Array:
                _containers.Add(path);
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Add(string.Create(CultureInfo.InvariantCulture, $"{path}[{index++}]"), item);
                }

                break;
            case JsonValueKind.String:
                _values[path] = element.GetString()!;
                break;
            case JsonValueKind.Number:
                _values[path] = element.GetRawText();
                break;
            case JsonValueKind.True or JsonValueKind.False:
                _values[path] = element.ValueKind == JsonValueKind.True ? "true" : "false";
                break;
        }
    }
}
