using Automation.Orchestrator.Runs;

namespace Automation.Orchestrator.Rules;

/// <summary>A configured rule, validated: its event type, conditions and steps.</summary>
public sealed record AutomationRule(string Name, string EventType, IReadOnlyList<ConditionOptions> Conditions, IReadOnlyList<StepOptions> Steps)
{
    public bool Matches(EventFields fields) => Conditions.All(condition => Holds(condition, fields));

    /// <summary>The steps as a run does them: numbered from 1, field paths replaced by the event's values (a missing
    /// value stays null, and the connector refuses the step if it needs it: a clear, permanent failure).</summary>
    public IReadOnlyList<PlannedStep> Plan(EventFields fields) =>
    [
        .. Steps.Select((step, index) => new PlannedStep(
            index + 1,
            step.Kind!,
            fields.ValueOf(step.Email),
            fields.ValueOf(step.Name),
            step.Template,
            step.Channel,
            step.Pipeline,
            Resolve(step.Kind == Contracts.StepKinds.CrmUpsertContact ? step.Properties : step.Variables, fields))),
    ];

    private static bool Holds(ConditionOptions condition, EventFields fields) => condition.Operator switch
    {
        ConditionOperators.EqualTo => fields.ValueOf(condition.Field) == condition.Value,
        ConditionOperators.In => fields.ValueOf(condition.Field) is { } value && condition.Values.Contains(value, StringComparer.Ordinal),
        ConditionOperators.Present => fields.IsPresent(condition.Field!),
        ConditionOperators.Absent => !fields.IsPresent(condition.Field!),
        _ => throw new InvalidOperationException($"Operator '{condition.Operator}' passed validation but is not evaluated."),
    };

    private static Dictionary<string, string> Resolve(Dictionary<string, string> paths, EventFields fields) =>
        paths.Select(pair => (pair.Key, Value: fields.ValueOf(pair.Value)))
            .Where(pair => pair.Value is not null)
            .ToDictionary(pair => pair.Key, pair => pair.Value!, StringComparer.Ordinal);
}
