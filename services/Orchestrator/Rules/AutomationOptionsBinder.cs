using System.Collections;
using System.Reflection;

namespace Automation.Orchestrator.Rules;

/// <summary>Binds the <c>Automation</c> section, refusing any key that is not a setting. The configuration binder ignores
/// unknown keys, and a misspelt <c>Conditons</c> would silently make a rule run on every event of its type.</summary>
internal static class AutomationOptionsBinder
{
    public static void Bind(IConfiguration configuration, AutomationOptions options)
    {
        var section = configuration.GetSection(AutomationOptions.SectionName);
        var unknown = UnknownKeys(section, typeof(AutomationOptions)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(
                $"{string.Join(", ", unknown)}: not a setting of the orchestrator (misspelt?); see docs/automation.md for the rules format");
        }

        section.Bind(options);
    }

    private static IEnumerable<string> UnknownKeys(IConfigurationSection section, Type type)
    {
        foreach (var child in section.GetChildren())
        {
            var childType = ChildType(type, child.Key);
            if (childType is null)
            {
                yield return child.Path;
                continue;
            }

            foreach (var path in UnknownKeys(child, childType))
            {
                yield return path;
            }
        }
    }

    /// <summary>The type a child key binds to: an entry of a dictionary, an item of a list, a property of a class; null when
    /// <paramref name="type"/> has no such child (a plain value has none).</summary>
    private static Type? ChildType(Type type, string key)
    {
        if (type == typeof(string) || type.IsValueType)
        {
            return null;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            return type.GetGenericArguments()[1];
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            return int.TryParse(key, out _) ? type.GetGenericArguments()[0] : null;
        }

        if (typeof(IEnumerable).IsAssignableFrom(type))
        {
            return null;
        }

        return type.GetProperty(key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)?.PropertyType;
    }
}
