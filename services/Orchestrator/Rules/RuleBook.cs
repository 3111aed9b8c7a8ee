using Microsoft.Extensions.Options;

namespace Automation.Orchestrator.Rules;

/// <summary>The enabled rules of the validated configuration, by event type.</summary>
public sealed class RuleBook(IOptions<AutomationOptions> options)
{
    private readonly ILookup<string, AutomationRule> _byEventType = options.Value.Rules
        .Where(rule => rule.Value.Enabled)
        .OrderBy(rule => rule.Key, StringComparer.Ordinal)
        .Select(rule => new AutomationRule(rule.Key, rule.Value.EventType!, rule.Value.Conditions, rule.Value.Steps))
        .ToLookup(rule => rule.EventType, StringComparer.Ordinal);

    public IEnumerable<AutomationRule> Matching(string eventType, EventFields fields) =>
        _byEventType[eventType].Where(rule => rule.Matches(fields));
}
