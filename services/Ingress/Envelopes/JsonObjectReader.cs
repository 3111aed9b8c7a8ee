using System.Globalization;
using System.Text.Json;

namespace Automation.Ingress.Envelopes;

/// <summary>Reads the fields of one JSON object, recording each missing or mistyped field under its JSON path.
/// Unknown fields are never looked at (forward compatibility). A reader over an absent object (an optional object the
/// sender left out, or a required one already reported missing) answers nulls and reports nothing more.</summary>
public readonly struct JsonObjectReader
{
    private const string TimestampMessage = "must be an RFC 3339 date-time, e.g. 2026-11-26T10:00:00Z";

    private readonly JsonElement _element;
    private readonly string _path;
    private readonly FieldErrors _errors;

    public JsonObjectReader(JsonElement element, string path, FieldErrors errors)
    {
        _element = element;
        _path = path;
        _errors = errors;
    }

    public bool IsPresent => _element.ValueKind == JsonValueKind.Object;

    public string RequiredString(string name)
    {
        var value = OptionalString(name, required: true);
        return value ?? "";
    }

    public string? OptionalString(string name) => OptionalString(name, required: false);

    /// <summary>A required string that must be one of <paramref name="allowed"/> (compared exactly).</summary>
    public string RequiredChoice(string name, params string[] allowed)
    {
        var value = RequiredString(name);
        if (IsPresent && value.Length > 0 && Array.IndexOf(allowed, value) < 0)
        {
            _errors.Add(PathOf(name), $"must be one of {string.Join(", ", allowed)}");
        }

        return value;
    }

    /// <summary>A required string used as a key (an id, a type): at most <paramref name="maxLength"/> characters and
    /// no control characters, so it can be stored and compared as text.</summary>
    public string RequiredIdentifier(string name, int maxLength)
    {
        var value = RequiredString(name);
        if (value.Length > maxLength)
        {
            _errors.Add(PathOf(name), $"must be at most {maxLength} characters");
        }
        else if (value.AsSpan().ContainsAnyInRange('\u0000', '\u001f') || value.Contains('\u007f', StringComparison.Ordinal))
        {
            _errors.Add(PathOf(name), "must not contain control characters");
        }

        return value;
    }

    /// <summary>A required whole number, at least <paramref name="minimum"/>.</summary>
    public int RequiredInteger(string name, int minimum)
    {
        if (!TryGetField(name, required: true, out var field))
        {
            return 0;
        }

        if (field.ValueKind == JsonValueKind.Number && field.TryGetInt32(out var value) && value >= minimum)
        {
            return value;
        }

        _errors.Add(PathOf(name), $"must be a whole number of at least {minimum}");
        return 0;
    }

    public DateTimeOffset RequiredTimestamp(string name)
    {
        var text = RequiredString(name);
        if (!IsPresent || text.Length == 0)
        {
            return default;
        }

        if (Rfc3339.TryParse(text, out var value))
        {
            return value;
        }

        _errors.Add(PathOf(name), TimestampMessage);
        return default;
    }

    public double? OptionalNumber(string name)
    {
        if (!TryGetField(name, required: false, out var field))
        {
            return null;
        }

        if (field.ValueKind == JsonValueKind.Number && field.TryGetDouble(out var number) && double.IsFinite(number))
        {
            return number;
        }

        _errors.Add(PathOf(name), "must be a number");
        return null;
    }

    public DateTimeOffset? OptionalTimestamp(string name)
    {
        var text = OptionalString(name);
        if (text is null)
        {
            return null;
        }

        if (Rfc3339.TryParse(text, out var value))
        {
            return value;
        }

        _errors.Add(PathOf(name), TimestampMessage);
        return null;
    }

    public JsonObjectReader RequiredObject(string name) => Object(name, required: true);

    public JsonObjectReader OptionalObject(string name) => Object(name, required: false);

    /// <summary>The objects of an optional array; each item must be an object.</summary>
    public IReadOnlyList<JsonObjectReader> OptionalArrayOfObjects(string name)
    {
        if (!TryGetField(name, required: false, out var field))
        {
            return [];
        }

        var path = PathOf(name);
        if (field.ValueKind != JsonValueKind.Array)
        {
            _errors.Add(path, "must be an array");
            return [];
        }

        var items = new List<JsonObjectReader>(field.GetArrayLength());
        var index = 0;
        foreach (var item in field.EnumerateArray())
        {
            var itemPath = string.Create(CultureInfo.InvariantCulture, $"{path}[{index++}]");
            if (item.ValueKind != JsonValueKind.Object)
            {
                _errors.Add(itemPath, "must be an object");
                continue;
            }

            items.Add(new JsonObjectReader(item, itemPath, _errors));
        }

        return items;
    }

    /// <summary>Any JSON value, kept as the sender wrote it (its raw JSON text).</summary>
    public string? OptionalRawJson(string name) =>
        TryGetField(name, required: false, out var field) ? field.GetRawText() : null;

    private JsonObjectReader Object(string name, bool required)
    {
        if (!TryGetField(name, required, out var field))
        {
            return new JsonObjectReader(default, PathOf(name), _errors);
        }

        if (field.ValueKind != JsonValueKind.Object)
        {
            _errors.Add(PathOf(name), "must be an object");
            return new JsonObjectReader(default, PathOf(name), _errors);
        }

        return new JsonObjectReader(field, PathOf(name), _errors);
    }

    private string? OptionalString(string name, bool required)
    {
        if (!TryGetField(name, required, out var field))
        {
            return null;
        }

        if (field.ValueKind != JsonValueKind.String)
        {
            _errors.Add(PathOf(name), "must be a string");
            return null;
        }

        if (!JsonText.TryGetString(field, out var value))
        {
            _errors.Add(PathOf(name), "must be valid Unicode text (it has an unpaired surrogate escape)");
            return null;
        }

        if (required && value.Length == 0)
        {
            _errors.Add(PathOf(name), "must not be empty");
            return null;
        }

        return value;
    }

    /// <summary>Finds a field; an explicit <c>null</c> counts as absent. Reports a missing required field.</summary>
    private bool TryGetField(string name, bool required, out JsonElement field)
    {
        field = default;
        if (!IsPresent)
        {
            return false;
        }

        if (_element.TryGetProperty(name, out field) && field.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        if (required)
        {
            _errors.Add(PathOf(name), "is required");
        }

        return false;
    }

    private string PathOf(string name) => _path.Length == 0 ? name : string.Concat(_path, ".", name);
}
