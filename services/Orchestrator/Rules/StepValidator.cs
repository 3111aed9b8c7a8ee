using Automation.Contracts;

namespace Automation.Orchestrator.Rules;

/// <summary>The checks of one step: a known kind, the settings that kind needs, none that it does not use, and field
/// paths its event has.</summary>
internal static class StepValidator
{
    private sealed record KindSettings(string[] Required, string[] Optional);

    private static readonly Dictionary<string, KindSettings> Settings = new(StringComparer.Ordinal)
    {
        [StepKinds.CrmUpsertContact] = new([nameof(StepOptions.Email)], [nameof(StepOptions.Name), nameof(StepOptions.Properties)]),
        [StepKinds.CrmLogActivity] = new([nameof(StepOptions.Email), nameof(StepOptions.Template)], []),
        [StepKinds.CiTriggerPipeline] = new([nameof(StepOptions.Pipeline)], [nameof(StepOptions.Variables)]),
        [StepKinds.Notify] = new([nameof(StepOptions.Channel), nameof(StepOptions.Template)], []),
    };

    public static void Validate(StepOptions step, string? eventType, EventFieldCatalog? fields, Action<string, string> fail)
    {
        if (step.Kind is null || !Settings.TryGetValue(step.Kind, out var settings))
        {
            fail(nameof(StepOptions.Kind), step.Kind is null
                ? $"is required: one of {string.Join(", ", StepKinds.All)}"
                : $"'{step.Kind}' is not a step kind: use one of {string.Join(", ", StepKinds.All)}");
            return;
        }

        foreach (var (setting, isSet) in SettingsSet(step))
        {
            if (!isSet && settings.Required.Contains(setting))
            {
                fail(setting, $"is required by {step.Kind}");
            }

            if (isSet && !settings.Required.Contains(setting) && !settings.Optional.Contains(setting))
            {
                fail(setting, $"is not used by {step.Kind}");
            }
        }

        RuleValidator.ValidateField(step.Email, eventType, fields, message => fail(nameof(StepOptions.Email), message));
        RuleValidator.ValidateField(step.Name, eventType, fields, message => fail(nameof(StepOptions.Name), message));
        foreach (var (key, path) in step.Properties)
        {
            RuleValidator.ValidateField(path, eventType, fields, message => fail($"{nameof(StepOptions.Properties)}:{key}", message));
        }

        foreach (var (key, path) in step.Variables)
        {
            RuleValidator.ValidateField(path, eventType, fields, message => fail($"{nameof(StepOptions.Variables)}:{key}", message));
        }
    }

    private static IEnumerable<(string Setting, bool IsSet)> SettingsSet(StepOptions step) =>
    [
        (nameof(StepOptions.Email), !string.IsNullOrWhiteSpace(step.Email)),
        (nameof(StepOptions.Name), !string.IsNullOrWhiteSpace(step.Name)),
        (nameof(StepOptions.Template), !string.IsNullOrWhiteSpace(step.Template)),
        (nameof(StepOptions.Channel), !string.IsNullOrWhiteSpace(step.Channel)),
        (nameof(StepOptions.Pipeline), !string.IsNullOrWhiteSpace(step.Pipeline)),
        (nameof(StepOptions.Properties), step.Properties.Count > 0),
        (nameof(StepOptions.Variables), step.Variables.Count > 0),
    ];
}
