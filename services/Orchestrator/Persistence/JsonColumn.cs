using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Automation.Orchestrator.Persistence;

/// <summary>A property kept as one jsonb value (camelCase, as an operator reads it in SQL: <c>steps-&gt;0-&gt;&gt;'status'</c>),
/// written on every save of its row.</summary>
internal static class JsonColumn
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static ValueConverter<T, string> Converter<T>()
        where T : class =>
        new(value => Write(value), text => Read<T>(text));

    /// <summary>Never equal to its snapshot, so the value is saved whenever its row is, changed or not. Comparing by content
    /// would serialise it twice on every save and deep-copy it (a serialisation and a parse) on every load and save: for a
    /// run's steps, saved with nearly every message the run receives, that cost more than writing them.</summary>
    public static ValueComparer<T> AlwaysSaved<T>()
        where T : class =>
        new((_, _) => false, value => RuntimeHelpers.GetHashCode(value), value => value);

    private static string Write<T>(T? value) => JsonSerializer.Serialize(value, Json);

    private static T Read<T>(string text) => JsonSerializer.Deserialize<T>(text, Json)!;
}
