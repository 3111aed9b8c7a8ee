using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Automation.Orchestrator.Persistence;

/// <summary>A property kept as one jsonb value (camelCase, as an operator reads it in SQL: <c>steps-&gt;0-&gt;&gt;'status'</c>),
/// compared by content so a change inside it is saved.</summary>
internal static class JsonColumn
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static ValueConverter<T, string> Converter<T>()
        where T : class =>
        new(value => Write(value), text => Read<T>(text));

    public static ValueComparer<T> Comparer<T>()
        where T : class =>
        new((left, right) => Write(left) == Write(right), value => Write(value).GetHashCode(StringComparison.Ordinal), value => Read<T>(Write(value)));

    private static string Write<T>(T? value) => JsonSerializer.Serialize(value, Json);

    private static T Read<T>(string text) => JsonSerializer.Deserialize<T>(text, Json)!;
}
