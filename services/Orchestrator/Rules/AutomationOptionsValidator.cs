using System.Globalization;
using Microsoft.Extensions.Options;

namespace Automation.Orchestrator.Rules;

/// <summary>Checks the whole <c>Automation</c> section at start, naming each bad setting by its full key
/// (<c>Automation:Rules:content-published:Steps:1:Pipeline</c>), so a bad rule stops the service instead of failing runs.</summary>
public sealed class AutomationOptionsValidator : IValidateOptions<AutomationOptions>
{
    public const int MaxRuleNameLength = 100;
    public const int MaxStepsPerRule = 20;

    public ValidateOptionsResult Validate(string? name, AutomationOptions options)
    {
        var failures = new List<string>();
        void Fail(string key, string message) => failures.Add($"{AutomationOptions.SectionName}:{key}: {message}");

        if (options.StepTimeout < TimeSpan.FromSeconds(1) || options.StepTimeout > TimeSpan.FromDays(1))
        {
            Fail(nameof(AutomationOptions.StepTimeout), "must be between 00:00:01 and 1.00:00:00");
        }

        if (string.IsNullOrWhiteSpace(options.FailureNotice.Channel))
        {
            Fail($"{nameof(AutomationOptions.FailureNotice)}:{nameof(FailureNoticeOptions.Channel)}", "is required: a channel of the Notifier");
        }

        if (string.IsNullOrWhiteSpace(options.FailureNotice.Template))
        {
            Fail($"{nameof(AutomationOptions.FailureNotice)}:{nameof(FailureNoticeOptions.Template)}", "is required");
        }

        foreach (var (ruleName, rule) in options.Rules)
        {
            RuleValidator.Validate(ruleName, rule, (key, message) =>
                Fail(key.Length == 0 ? $"Rules:{ruleName}" : $"Rules:{ruleName}:{key}", message));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>The checks of one rule; <c>fail(key, message)</c> takes the key below the rule's own.</summary>
internal static class RuleValidator
{
    public static void Validate(string name, RuleOptions rule, Action<string, string> fail)
    {
        if (name.Length > AutomationOptionsValidator.MaxRuleNameLength
            || !name.All(character => char.IsAsciiLetterOrDigit(character) || character is '-' or '_' or '.'))
        {
            fail("", $"a rule name must be 1 to {AutomationOptionsValidator.MaxRuleNameLength} letters, digits, '-', '_' or '.' "
                + "(it is part of every step's idempotency key)");
        }

        if (!EventContracts.IsKnown(rule.EventType))
        {
            fail(nameof(RuleOptions.EventType), rule.EventType is null
                ? $"is required: one of {string.Join(", ", EventContracts.Types)}"
                : $"'{rule.EventType}' is not an event type: use one of {string.Join(", ", EventContracts.Types)}");
        }

        if (rule.Steps.Count is 0 or > AutomationOptionsValidator.MaxStepsPerRule)
        {
            fail(nameof(RuleOptions.Steps), $"a rule needs 1 to {AutomationOptionsValidator.MaxStepsPerRule} steps");
        }

        var fields = EventContracts.IsKnown(rule.EventType) ? EventContracts.FieldsOf(rule.EventType!) : null;
        for (var index = 0; index < rule.Conditions.Count; index++)
        {
            ConditionValidator.Validate(rule.Conditions[index], rule.EventType, fields,
                (key, message) => fail(Indexed(nameof(RuleOptions.Conditions), index, key), message));
        }

        for (var index = 0; index < rule.Steps.Count; index++)
        {
            StepValidator.Validate(rule.Steps[index], rule.EventType, fields,
                (key, message) => fail(Indexed(nameof(RuleOptions.Steps), index, key), message));
        }
    }

    /// <summary>Checks that a field path names a field of the event type (when the type is known at all).</summary>
    public static void ValidateField(string? path, string? eventType, EventFieldCatalog? fields, Action<string> fail)
    {
        if (fields is not null && path is not null && !fields.Has(path))
        {
            fail($"'{path}' is not a field of {eventType}: use one of {string.Join(", ", fields.Paths)}");
        }
    }

    private static string Indexed(string list, int index, string key) =>
        string.Create(CultureInfo.InvariantCulture, $"{list}:{index}:{key}");
}
