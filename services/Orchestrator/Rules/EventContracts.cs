using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;
using Automation.Contracts;
using Automation.Orchestrator.Events;

namespace Automation.Orchestrator.Rules;

/// <summary>The event types rules can name, and the field paths each one's data has (read from its contract, named as
/// <see cref="EventData"/> writes them), so a rule naming a field its event never has is refused at start.</summary>
public static class EventContracts
{
    private static readonly Dictionary<string, EventFieldCatalog> Catalogs = new(StringComparer.Ordinal)
    {
        [WebhookEventTypes.ContentStateChanged] = EventFieldCatalog.Of(typeof(ContentStateChanged)),
        [WebhookEventTypes.SurveyCompleted] = EventFieldCatalog.Of(typeof(SurveyCompleted)),
        [WebhookEventTypes.ConversationMessageCreated] = EventFieldCatalog.Of(typeof(ConversationMessageCreated)),
        [WebhookEventTypes.TaskExecuted] = EventFieldCatalog.Of(typeof(TaskExecuted)),
    };

    public static IEnumerable<string> Types => Catalogs.Keys.Order(StringComparer.Ordinal);

    public static bool IsKnown(string? eventType) => eventType is not null && Catalogs.ContainsKey(eventType);

    public static EventFieldCatalog FieldsOf(string eventType) => Catalogs[eventType];

    /// <summary>The envelope type a contract is published for, e.g. <c>content.state_changed</c>.</summary>
    public static string TypeOf(Type contract) => Catalogs.Single(catalog => catalog.Value.Contract == contract).Key;
}

/// <summary>The field paths of one contract's data: values, objects and lists (a list's items as <c>answers[].value</c>,
/// matching any index), with the values an enum field can take.</summary>
public sealed partial class EventFieldCatalog
{
    private readonly Dictionary<string, IReadOnlyList<string>?> _fields = new(StringComparer.Ordinal);

    private EventFieldCatalog(Type contract) => Contract = contract;

    public Type Contract { get; }

    public IEnumerable<string> Paths => _fields.Keys.Order(StringComparer.Ordinal);

    public static EventFieldCatalog Of(Type contract)
    {
        var catalog = new EventFieldCatalog(contract);
        catalog.Walk(contract, "", skip: nameof(IWebhookEvent.Metadata));
        return catalog;
    }

    public bool Has(string path) => _fields.ContainsKey(Normalize(path));

    /// <summary>The values an enum field takes, as <see cref="EventData"/> writes them; null for any other field.</summary>
    public IReadOnlyList<string>? ValuesOf(string path) => _fields.GetValueOrDefault(Normalize(path));

    private void Walk(Type type, string prefix, string? skip = null)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.Name == skip)
            {
                continue;
            }

            var path = prefix + EventData.Json.PropertyNamingPolicy!.ConvertName(property.Name);
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (propertyType.IsEnum)
            {
                _fields[path] = [.. Enum.GetNames(propertyType).Select(EventData.Json.PropertyNamingPolicy.ConvertName)];
            }
            else if (IsValue(propertyType))
            {
                _fields[path] = null;
            }
            else if (typeof(IEnumerable).IsAssignableFrom(propertyType))
            {
                _fields[path] = null;
                var item = propertyType.GetGenericArguments().SingleOrDefault();
                if (item is not null && !IsValue(item))
                {
                    Walk(item, path + "[].");
                }
            }
            else
            {
                _fields[path] = null;
                Walk(propertyType, path + ".");
            }
        }
    }

    private static bool IsValue(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(DateTimeOffset)
        || type == typeof(DateTime) || type == typeof(Guid);

    private static string Normalize(string path) => ListIndex().Replace(path, "[]");

    [GeneratedRegex(@"\[\d+\]", RegexOptions.CultureInvariant)]
    private static partial Regex ListIndex();
}
