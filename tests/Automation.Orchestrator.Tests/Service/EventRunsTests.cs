using System.Text.Json;
using Automation.Contracts;
using Automation.Orchestrator.Runs;
using Automation.Testing;

namespace Automation.Orchestrator.Tests.Service;

/// <summary>The shipped rules plus two of this class's own for content events: one that matches any, one that matches
/// archived content only.</summary>
public sealed class EventRunsService : OrchestratorService
{
    public const string AnyContent = "content-any";
    public const string ArchivedContent = "content-archived";

    protected override Dictionary<string, string> ExtraSettings() => new()
    {
        [$"Automation:Rules:{AnyContent}:EventType"] = WebhookEventTypes.ContentStateChanged,
        [$"Automation:Rules:{AnyContent}:Steps:0:Kind"] = StepKinds.Notify,
        [$"Automation:Rules:{AnyContent}:Steps:0:Channel"] = "content-team",
        [$"Automation:Rules:{AnyContent}:Steps:0:Template"] = "{{data.title}} is now {{data.toState}}",
        [$"Automation:Rules:{ArchivedContent}:EventType"] = WebhookEventTypes.ContentStateChanged,
        [$"Automation:Rules:{ArchivedContent}:Conditions:0:Field"] = "toState",
        [$"Automation:Rules:{ArchivedContent}:Conditions:0:Operator"] = "equals",
        [$"Automation:Rules:{ArchivedContent}:Conditions:0:Value"] = "archived",
        [$"Automation:Rules:{ArchivedContent}:Steps:0:Kind"] = StepKinds.Notify,
        [$"Automation:Rules:{ArchivedContent}:Steps:0:Channel"] = "content-team",
        [$"Automation:Rules:{ArchivedContent}:Steps:0:Template"] = "{{data.title}} archived",
    };
}

/// <summary>An event reaching the Orchestrator over real RabbitMQ is stored once and starts one run per matching rule,
/// whatever how often it is delivered.</summary>
public sealed class EventRunsTests(EventRunsService service) : IClassFixture<EventRunsService>
{
    [Fact]
    public async Task An_event_is_stored_and_starts_one_run_per_matching_rule()
    {
        var eventId = TestEvents.NewEventId();
        var content = TestEvents.Content(eventId);

        await service.Publish(content);

        var published = await service.WaitForRun(eventId, "content-published", "Completed");
        var any = await service.WaitForRun(eventId, EventRunsService.AnyContent, "Completed");
        Assert.Equal(["content-any", "content-published"], (await service.RunsOf(eventId)).Select(run => run.Rule));
        foreach (var run in new[] { published, any })
        {
            Assert.Equal(RunIds.For(TestEvents.Source, eventId, run.Rule, 1), run.CorrelationId);
            Assert.Equal((TestEvents.Source, eventId, WebhookEventTypes.ContentStateChanged, 1, content.Metadata.Id),
                (run.Source, run.EventId, run.EventType, run.Run, run.EventRecordId));
            Assert.Matches("^[0-9a-f]{32}$", run.TraceId);
            Assert.True(run.FinishedAt >= run.StartedAt);
        }

        var copy = Assert.Single(await service.CopiesOf(eventId));
        Assert.Equal((content.Metadata.Id, TestEvents.Source, WebhookEventTypes.ContentStateChanged, 1),
            (copy.Id, copy.Source, copy.Type, copy.Version));
        Assert.Equal(content.Metadata.OccurredAt.ToUniversalTime(), copy.OccurredAt, TimeSpan.FromMilliseconds(1));
        using var data = JsonDocument.Parse(copy.Data);
        Assert.Equal("published", data.RootElement.GetProperty("toState").GetString());
        Assert.Equal("grace@example.com", data.RootElement.GetProperty("author").GetProperty("email").GetString());
        Assert.False(data.RootElement.TryGetProperty("metadata", out _), "the data holds the metadata too");
    }

    [Fact]
    public async Task The_same_event_delivered_twice_or_published_again_starts_its_runs_once()
    {
        var eventId = TestEvents.NewEventId();
        var content = TestEvents.Content(eventId);
        var firstId = Guid.NewGuid();
        var republishedId = Guid.NewGuid();

        await service.Publish(content, firstId);
        await service.Publish(content, firstId);
        await service.Publish(content, republishedId);

        await Eventually.Until(async () => await service.InboxRow(firstId) is { ReceiveCount: >= 2, Delivered: not null }
                && await service.InboxRow(republishedId) is { Delivered: not null },
            "the three deliveries went through the inbox");
        await service.WaitForRun(eventId, "content-published", "Completed");
        await service.WaitForRun(eventId, EventRunsService.AnyContent, "Completed");
        Assert.Equal(2, (await service.RunsOf(eventId)).Count);
        Assert.Single(await service.CopiesOf(eventId));
        // One command per step of each run: content-published's three, content-any's one.
        Assert.Equal(
            ["content-any:1", "content-published:1", "content-published:2", "content-published:3"],
            service.Connectors.Script.For(eventId).Select(command => $"{command.Step.Rule}:{command.Step.Step}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_event_no_rule_matches_is_stored_and_starts_nothing()
    {
        var unmatched = TestEvents.NewEventId();
        var marker = TestEvents.NewEventId();

        await service.Publish(TestEvents.Task(unmatched, TaskOutcome.Succeeded));
        await Eventually.Until(async () => (await service.CopiesOf(unmatched)).Count == 1, "the event was stored");
        await service.Publish(TestEvents.Task(marker, TaskOutcome.Failed));

        // The marker's run was started after the first event's transaction committed, on the same queue.
        await service.WaitForRun(marker, "task-failed", "Completed");
        Assert.Empty(await service.RunsOf(unmatched));
        Assert.Empty(service.Connectors.Script.For(unmatched));
    }
}
