using Microsoft.Extensions.Options;

namespace Automation.Orchestrator.Rules;

/// <summary>The enabled rules of the validated configuration, by event type and by name.</summary>
public sealed class RuleBook
{
    private readonly Dictionary<string, AutomationRule> _byName;
    private readonly ILookup<string, AutomationRule> _byEventType;

    public RuleBook(IOptions<AutomationOptions> options)
    {
        _byName = options.Value.Rules
            .Where(rule => rule.Value.Enabled)
            .ToDictionary(rule => rule.Key, rule => new AutomationRule(rule.Key, rule.Value.EventType!, rule.Value.Conditions, rule.Value.Steps),
                StringComparer.Ordinal);
        _byEventType = _byName.Values.OrderBy(rule => rule.Name, StringComparer.Ordinal).ToLookup(rule => rule.EventType, StringComparer.Ordinal);
    }

    public IEnumerable<AutomationRule> Matching(string eventType, EventFields fields) =>
        _byEventType[eventType].Where(rule => rule.Matches(fields));

    /// <summary>The enabled rule of that name, or null (unknown or disabled): what an operator's replay runs.</summary>
    public AutomationRule? Named(string name) => _byName.GetValueOrDefault(name);
}
