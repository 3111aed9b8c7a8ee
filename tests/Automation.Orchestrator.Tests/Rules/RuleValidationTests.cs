using Automation.Orchestrator.Rules;

namespace Automation.Orchestrator.Tests.Rules;

/// <summary>Every kind of bad rule is refused with its full key (the service does not start: Service/StartupTests).</summary>
public sealed class RuleValidationTests
{
    private const string Rule = "Automation:Rules:r:";

    [Fact]
    public void The_shipped_default_rules_are_valid()
    {
        var result = RulesConfiguration.Validate(RulesConfiguration.Defaults());

        Assert.True(result.Succeeded, result.FailureMessage);
        Assert.Equal(["content-published", "message-created", "survey-completed", "task-failed"],
            RulesConfiguration.Bind(RulesConfiguration.Defaults()).Rules.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("EventType", "invoice.paid", "Automation:Rules:r:EventType: 'invoice.paid' is not an event type")]
    [InlineData("Steps:0:Kind", "crm.delete_contact", "Automation:Rules:r:Steps:0:Kind: 'crm.delete_contact' is not a step kind")]
    [InlineData("Steps:0:Channel", "", "Automation:Rules:r:Steps:0:Channel: is required by notify")]
    [InlineData("Steps:0:Template", "", "Automation:Rules:r:Steps:0:Template: is required by notify")]
    [InlineData("Steps:0:Pipeline", "content-publish", "Automation:Rules:r:Steps:0:Pipeline: is not used by notify")]
    [InlineData("Conditions:0:Field", "", "Automation:Rules:r:Conditions:0:Field: is required")]
    [InlineData("Conditions:0:Field", "toStat", "Automation:Rules:r:Conditions:0:Field: 'toStat' is not a field of content.state_changed")]
    [InlineData("Conditions:0:Operator", "", "Automation:Rules:r:Conditions:0:Operator: is required")]
    [InlineData("Conditions:0:Operator", "contains", "Automation:Rules:r:Conditions:0:Operator: 'contains' is not an operator")]
    [InlineData("Conditions:0:Value", null, "Automation:Rules:r:Conditions:0:Value: is required by 'equals'")]
    public void A_bad_setting_in_a_rule_is_named_with_its_full_key(string key, string? value, string expected)
    {
        var settings = ValidRule();
        settings[Rule + key] = value;

        var result = RulesConfiguration.Validate(RulesConfiguration.Only(settings));

        Assert.True(result.Failed, "the rule was accepted");
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rule_without_steps_is_refused()
    {
        var settings = ValidRule();
        foreach (var key in settings.Keys.Where(key => key.Contains(":Steps:", StringComparison.Ordinal)).ToList())
        {
            settings.Remove(key);
        }

        var result = RulesConfiguration.Validate(RulesConfiguration.Only(settings));

        Assert.Contains("Automation:Rules:r:Steps: a rule needs 1 to 20 steps", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ci.trigger_pipeline", "Automation:Rules:t:Steps:0:Pipeline: is required by ci.trigger_pipeline")]
    [InlineData("crm.upsert_contact", "Automation:Rules:t:Steps:0:Email: is required by crm.upsert_contact")]
    [InlineData("crm.log_activity", "Automation:Rules:t:Steps:0:Template: is required by crm.log_activity")]
    public void A_step_missing_what_its_kind_needs_is_refused(string kind, string expected)
    {
        var result = RulesConfiguration.Validate(RulesConfiguration.Only(new Dictionary<string, string?>
        {
            ["Automation:Rules:t:EventType"] = "survey.completed",
            ["Automation:Rules:t:Steps:0:Kind"] = kind,
        }));

        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Automation:Rules:t:Steps:0:Email", "respondent.mail",
        "Automation:Rules:t:Steps:0:Email: 'respondent.mail' is not a field of survey.completed")]
    [InlineData("Automation:Rules:t:Conditions:0:Value", "faild",
        "Automation:Rules:t:Conditions:0:Value: 'faild' is never a value of status: it is one of succeeded, failed")]
    public void A_field_or_value_the_event_never_has_is_refused(string key, string value, string expected)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Automation:Rules:t:EventType"] = key.Contains("Email", StringComparison.Ordinal) ? "survey.completed" : "task.executed",
            ["Automation:Rules:t:Conditions:0:Field"] = "status",
            ["Automation:Rules:t:Conditions:0:Operator"] = "equals",
            ["Automation:Rules:t:Conditions:0:Value"] = "failed",
            ["Automation:Rules:t:Steps:0:Kind"] = "crm.upsert_contact",
            ["Automation:Rules:t:Steps:0:Email"] = "respondent.email",
            [key] = value,
        };
        if (settings["Automation:Rules:t:EventType"] == "survey.completed")
        {
            settings.Remove("Automation:Rules:t:Conditions:0:Field");
            settings.Remove("Automation:Rules:t:Conditions:0:Operator");
            settings.Remove("Automation:Rules:t:Conditions:0:Value");
        }

        var result = RulesConfiguration.Validate(RulesConfiguration.Only(settings));

        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Automation:StepTimeout", "00:00:00", "Automation:StepTimeout: must be between 00:00:01 and 1.00:00:00")]
    [InlineData("Automation:FailureNotice:Channel", "", "Automation:FailureNotice:Channel: is required")]
    [InlineData("Automation:Rules:a rule:EventType", "task.executed", "Automation:Rules:a rule: a rule name must be")]
    public void Other_bad_settings_are_named_too(string key, string value, string expected)
    {
        var result = RulesConfiguration.Validate(RulesConfiguration.Defaults(new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_misspelt_setting_is_refused_with_its_path_instead_of_being_ignored()
    {
        var settings = ValidRule();
        settings["Automation:Rules:r:Condtions:0:Field"] = "toState";

        var failure = Assert.Throws<InvalidOperationException>(() => RulesConfiguration.Bind(RulesConfiguration.Only(settings)));

        Assert.Contains("Automation:Rules:r:Condtions: not a setting", failure.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> ValidRule() => new()
    {
        [Rule + "EventType"] = "content.state_changed",
        [Rule + "Conditions:0:Field"] = "toState",
        [Rule + "Conditions:0:Operator"] = ConditionOperators.EqualTo,
        [Rule + "Conditions:0:Value"] = "published",
        [Rule + "Steps:0:Kind"] = "notify",
        [Rule + "Steps:0:Channel"] = "content-team",
        [Rule + "Steps:0:Template"] = "{{data.title}}",
    };
}
