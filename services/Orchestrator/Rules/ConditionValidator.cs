namespace Automation.Orchestrator.Rules;

/// <summary>The checks of one condition: a known field, a known operator, and the value(s) its operator needs.</summary>
internal static class ConditionValidator
{
    public static void Validate(ConditionOptions condition, string? eventType, EventFieldCatalog? fields, Action<string, string> fail)
    {
        if (string.IsNullOrWhiteSpace(condition.Field))
        {
            fail(nameof(ConditionOptions.Field), "is required: a field path of the event's data, e.g. toState");
        }
        else
        {
            RuleValidator.ValidateField(condition.Field, eventType, fields, message => fail(nameof(ConditionOptions.Field), message));
        }

        switch (condition.Operator)
        {
            case null or "":
                fail(nameof(ConditionOptions.Operator), $"is required: one of {string.Join(", ", ConditionOperators.All)}");
                break;
            case ConditionOperators.EqualTo:
                Expect(condition, value: true, values: false, fail);
                break;
            case ConditionOperators.In:
                Expect(condition, value: false, values: true, fail);
                break;
            case ConditionOperators.Present or ConditionOperators.Absent:
                Expect(condition, value: false, values: false, fail);
                break;
            default:
                fail(nameof(ConditionOptions.Operator),
                    $"'{condition.Operator}' is not an operator: use one of {string.Join(", ", ConditionOperators.All)}");
                break;
        }

        ValidateEnumValues(condition, fields, fail);
    }

    private static void Expect(ConditionOptions condition, bool value, bool values, Action<string, string> fail)
    {
        if (value && condition.Value is null)
        {
            fail(nameof(ConditionOptions.Value), $"is required by '{condition.Operator}'");
        }

        if (!value && condition.Value is not null)
        {
            fail(nameof(ConditionOptions.Value), $"is not used by '{condition.Operator}'");
        }

        if (values && condition.Values.Count == 0)
        {
            fail(nameof(ConditionOptions.Values), $"'{condition.Operator}' needs at least one value");
        }

        if (!values && condition.Values.Count > 0)
        {
            fail(nameof(ConditionOptions.Values), $"is not used by '{condition.Operator}'");
        }
    }

    /// <summary>An enum field (e.g. <c>status</c>) compared with a value it never takes would never match.</summary>
    private static void ValidateEnumValues(ConditionOptions condition, EventFieldCatalog? fields, Action<string, string> fail)
    {
        if (condition.Field is null || fields?.ValuesOf(condition.Field) is not { } allowed)
        {
            return;
        }

        var compared = condition.Value is null ? condition.Values : [condition.Value, .. condition.Values];
        foreach (var value in compared.Where(value => !allowed.Contains(value, StringComparer.Ordinal)))
        {
            fail(condition.Value == value ? nameof(ConditionOptions.Value) : nameof(ConditionOptions.Values),
                $"'{value}' is never a value of {condition.Field}: it is one of {string.Join(", ", allowed)}");
        }
    }
}
