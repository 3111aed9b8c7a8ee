namespace Automation.Orchestrator.Rules;

/// <summary>One rule: when an event of <see cref="EventType"/> whose data meets every condition arrives, a run does the
/// steps in order. Section <c>Automation:Rules:{name}</c>.</summary>
public sealed class RuleOptions
{
    /// <summary>An envelope type, e.g. <c>content.state_changed</c>.</summary>
    public string? EventType { get; set; }

    /// <summary>False keeps the rule configured but starts no runs (e.g. to switch a default rule off by environment).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>All must hold; none means every event of the type.</summary>
    public List<ConditionOptions> Conditions { get; set; } = [];

    public List<StepOptions> Steps { get; set; } = [];
}

/// <summary>A test on one field of the event's data, e.g. <c>toState</c> <c>equals</c> <c>published</c>.</summary>
public sealed class ConditionOptions
{
    /// <summary>A field path as the envelope's <c>data</c> has it: <c>toState</c>, <c>author.email</c>, <c>answers[0].value</c>.</summary>
    public string? Field { get; set; }

    /// <summary>One of <see cref="ConditionOperators.All"/>.</summary>
    public string? Operator { get; set; }

    /// <summary>For <c>equals</c>: the value, compared as text (numbers as JSON writes them, enums in camelCase).</summary>
    public string? Value { get; set; }

    /// <summary>For <c>in</c>: the values, any of which matches.</summary>
    public List<string> Values { get; set; } = [];
}

/// <summary>One step of a rule. Which settings a kind takes is in docs/automation.md; a setting a kind does not use is
/// refused at start rather than ignored (it is most likely a mistake).</summary>
public sealed class StepOptions
{
    /// <summary>One of <see cref="Automation.Contracts.StepKinds.All"/>.</summary>
    public string? Kind { get; set; }

    /// <summary>The field path of the contact's e-mail (<c>crm.upsert_contact</c>, <c>crm.log_activity</c>).</summary>
    public string? Email { get; set; }

    /// <summary>The field path of the contact's full name (<c>crm.upsert_contact</c>, optional).</summary>
    public string? Name { get; set; }

    /// <summary>The text, with <c>{{placeholders}}</c> the connector fills (<c>crm.log_activity</c>, <c>notify</c>).</summary>
    public string? Template { get; set; }

    /// <summary>A channel of the Notifier's configuration (<c>notify</c>).</summary>
    public string? Channel { get; set; }

    /// <summary>A pipeline of the CiTrigger service's configuration (<c>ci.trigger_pipeline</c>).</summary>
    public string? Pipeline { get; set; }

    /// <summary>CRM contact property → field path (<c>crm.upsert_contact</c>, optional).</summary>
    public Dictionary<string, string> Properties { get; set; } = [];

    /// <summary>Pipeline variable → field path (<c>ci.trigger_pipeline</c>, optional).</summary>
    public Dictionary<string, string> Variables { get; set; } = [];
}

/// <summary>The tests a condition can make on a field.</summary>
public static class ConditionOperators
{
    public const string EqualTo = "equals";
    public const string In = "in";
    public const string Present = "present";
    public const string Absent = "absent";

    public static IReadOnlyCollection<string> All { get; } = [EqualTo, In, Present, Absent];
}
