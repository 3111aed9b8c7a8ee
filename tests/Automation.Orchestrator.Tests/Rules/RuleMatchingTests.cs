using Automation.Contracts;
using Automation.Orchestrator.Events;
using Automation.Orchestrator.Rules;
using Automation.Orchestrator.Runs;

namespace Automation.Orchestrator.Tests.Rules;

/// <summary>Which default rules an event matches, and what its run's steps and template values become.</summary>
public sealed class RuleMatchingTests
{
    private static readonly RuleBook Defaults = RulesConfiguration.Book(RulesConfiguration.Defaults());

    [Theory]
    [InlineData("published", "content-published")]
    [InlineData("archived", null)]
    public void Content_matches_the_content_rule_only_when_published(string toState, string? rule)
    {
        Assert.Equal(rule is null ? [] : [rule], Matching(Content(toState)));
    }

    [Theory]
    [InlineData(TaskOutcome.Failed, "task-failed")]
    [InlineData(TaskOutcome.Succeeded, null)]
    public void A_task_matches_the_task_rule_only_when_it_failed(TaskOutcome status, string? rule)
    {
        var task = new TaskExecuted(Metadata(WebhookEventTypes.TaskExecuted), "t1", "nightly", status, null, null, "boom");

        Assert.Equal(rule is null ? [] : [rule], Matching(task));
    }

    [Fact]
    public void Membership_and_presence_conditions_test_the_data_fields()
    {
        var book = RulesConfiguration.Book(RulesConfiguration.Only(new Dictionary<string, string?>
        {
            ["Automation:Rules:in:EventType"] = "content.state_changed",
            ["Automation:Rules:in:Conditions:0:Field"] = "toState",
            ["Automation:Rules:in:Conditions:0:Operator"] = "in",
            ["Automation:Rules:in:Conditions:0:Values:0"] = "published",
            ["Automation:Rules:in:Conditions:0:Values:1"] = "scheduled",
            ["Automation:Rules:in:Steps:0:Kind"] = "notify",
            ["Automation:Rules:in:Steps:0:Channel"] = "c",
            ["Automation:Rules:in:Steps:0:Template"] = "t",
            ["Automation:Rules:anonymous:EventType"] = "content.state_changed",
            ["Automation:Rules:anonymous:Conditions:0:Field"] = "author.email",
            ["Automation:Rules:anonymous:Conditions:0:Operator"] = "absent",
            ["Automation:Rules:anonymous:Steps:0:Kind"] = "notify",
            ["Automation:Rules:anonymous:Steps:0:Channel"] = "c",
            ["Automation:Rules:anonymous:Steps:0:Template"] = "t",
        }));

        Assert.Equal(["in"], Matching(Content("scheduled"), book));
        Assert.Equal(["anonymous"], Matching(Content("draft") with { Author = null }, book));
        Assert.Empty(Matching(Content("draft"), book));
    }

    [Fact]
    public void A_run_takes_the_steps_values_from_the_event_and_its_templates_see_every_field()
    {
        var content = Content("published");
        var data = EventData.Of(content);
        var fields = EventFields.Of(data);
        var rule = Defaults.Matching(content.Metadata.Type, fields).Single();
        var copy = new EventCopy { Id = content.Metadata.Id, Source = "cms", EventId = "evt_1", Type = content.Metadata.Type, Version = 1 };

        var start = RunPlanner.Plan(copy, fields, rule, run: 1);

        Assert.Equal(RunIds.For("cms", "evt_1", "content-published", 1), start.RunId);
        var activity = start.Steps[0];
        Assert.Equal((1, StepKinds.CrmLogActivity, "grace@example.com", rule.Steps[0].Template),
            (activity.Number, activity.Kind, activity.Email, activity.Template));
        Assert.Equal("content-publish", start.Steps[1].Pipeline);
        Assert.Equal(new Dictionary<string, string> { ["content_id"] = "c42", ["content_url"] = "https://example.com/c42" }, start.Steps[1].Parameters);
        Assert.Equal("content-team", start.Steps[2].Channel);
        Assert.Equal("Grace Hopper", start.Values["data.author.name"]);
        Assert.Equal("Launch", start.Values["data.title"]);
        Assert.Equal("evt_1", start.Values["event.id"]);
        Assert.Equal("content.state_changed", start.Values["event.type"]);
        Assert.Equal("cms", start.Values["source"]);
        Assert.Equal("content-published", start.Values["rule"]);
        Assert.Equal("1", start.Values["run"]);
    }

    [Fact]
    public void A_run_id_is_the_same_for_the_same_event_rule_and_run_and_differs_otherwise()
    {
        var id = RunIds.For("cms", "evt_1", "r", 1);

        Assert.Equal(id, RunIds.For("cms", "evt_1", "r", 1));
        Assert.NotEqual(id, RunIds.For("cms", "evt_1", "r", 2));
        Assert.NotEqual(id, RunIds.For("cms", "evt_1r", "", 1));
        Assert.NotEqual(id, RunIds.For("other", "evt_1", "r", 1));
    }

    private static string[] Matching(IWebhookEvent webhookEvent, RuleBook? book = null) =>
        [.. (book ?? Defaults).Matching(webhookEvent.Metadata.Type, EventFields.Of(EventData.Of(webhookEvent))).Select(rule => rule.Name)];

    private static ContentStateChanged Content(string toState) => new(Metadata(WebhookEventTypes.ContentStateChanged), "c42", "Launch", "draft",
        toState, "https://example.com/c42", new Person("u1", "grace@example.com", "Grace Hopper"));

    private static EventMetadata Metadata(string type) =>
        new(Guid.NewGuid(), "cms", "evt_1", type, 1, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
}
