using System.Net;
using System.Text.Json;
using Automation.EndToEnd.Tests.Infrastructure;
using Automation.Orchestrator.Runs;
using static Automation.EndToEnd.Tests.Infrastructure.AutomationSystem;
using static Automation.Testing.ExternalApis.SlackWebhookStubs;

namespace Automation.EndToEnd.Tests;

/// <summary>The happy path of each shipped rule, from a signed webhook to the external systems' requests: the right calls,
/// with the real APIs' shapes, each carrying its step's idempotency key, and the run Completed with each effect's reference.</summary>
public sealed class DefaultRuleTests(AutomationSystem system) : IClassFixture<AutomationSystem>
{
    private const string SurveyRule = "survey-completed";

    [Fact]
    public async Task Content_published_logs_a_note_on_its_author_starts_the_publish_pipeline_and_tells_the_content_team()
    {
        const string rule = ContentPublished;
        var eventId = Webhooks.NewEventId();
        var (note, pipeline, slack) = system.AnswerContentPublished(eventId);

        await system.Webhooks.AcceptedAsync(eventId, EventData.ContentStateChanged, EventData.Content("Launch <notes> & more"));

        var run = await system.Runs.WaitFor(eventId, rule, "Completed");
        Assert.Equal(["7101", "github:example/website:9101", slack], run.Steps.Select(step => step.ExternalReference));
        Assert.All(run.Steps, step => Assert.Equal((StepStatus.Succeeded, 1), (step.Status, step.Attempts)));

        var crm = system.HubSpot.CallsWith(note);
        Assert.Equal(["POST " + FakeHubSpot.UpsertPath, "POST " + FakeHubSpot.NotesPath], crm.Select(call => $"{call.Method} {call.Path}"));
        Assert.All(crm, call => Assert.Equal($"Bearer {ServiceSettings.HubSpotToken}", KeyedStubs.HeaderOf(call, "Authorization")));
        KeyedStubs.AssertJsonBody("""{"inputs":[{"id":"grace@example.com","idProperty":"email","properties":{}}]}""", crm[0]);
        using (var created = JsonDocument.Parse(crm[1].Body!))
        {
            var association = created.RootElement.GetProperty("associations")[0];
            Assert.Equal("5101", association.GetProperty("to").GetProperty("id").GetString());
            Assert.Equal(202, association.GetProperty("types")[0].GetProperty("associationTypeId").GetInt32());
            // The template's values are HTML-escaped for HubSpot's rich text.
            Assert.StartsWith("Published \"Launch &lt;notes&gt; &amp; more\": https://cms.example.com/cnt_42<p>Automation step " + note,
                created.RootElement.GetProperty("properties").GetProperty("hs_note_body").GetString(), StringComparison.Ordinal);
        }

        var dispatch = Assert.Single(system.Ci.CallsWith(pipeline));
        Assert.Equal(("POST", FakeCi.GitHubDispatchPath), (dispatch.Method, dispatch.Path));
        Assert.Equal($"Bearer {ServiceSettings.GitHubToken}", KeyedStubs.HeaderOf(dispatch, "Authorization"));
        Assert.Equal("application/vnd.github+json", KeyedStubs.HeaderOf(dispatch, "Accept"));
        Assert.Equal("2022-11-28", KeyedStubs.HeaderOf(dispatch, "X-GitHub-Api-Version"));
        KeyedStubs.AssertJson($$$"""
            {"ref":"main","return_run_details":true,
             "inputs":{"content_id":"cnt_42","content_url":"https://cms.example.com/cnt_42","idempotency_key":"{{{pipeline}}}"}}
            """, dispatch.Body);

        var post = Assert.Single(system.Slack.CallsWith(slack));
        Assert.Equal(("POST", ServiceSettings.SlackWebhookPath), (post.Method, post.Path));
        // Slack's mrkdwn escaping of the event's values; the template's own markup stays.
        KeyedStubs.AssertJson("""{"text":"*Launch &lt;notes&gt; &amp; more* was published by Grace Hopper: https://cms.example.com/cnt_42"}""", post.Body);
        Assert.Empty(system.Smtp.AttemptsFor(KeyOf(eventId, rule, 0)));
    }

    [Fact]
    public async Task Survey_completed_upserts_the_respondent_and_logs_a_note_on_them()
    {
        var eventId = Webhooks.NewEventId();
        var (contact, note) = AnswerSurvey(eventId, "5201", "7201");

        await system.Webhooks.AcceptedAsync(eventId, EventData.SurveyCompleted, EventData.Survey());

        var run = await system.Runs.WaitFor(eventId, SurveyRule, "Completed");
        Assert.Equal(["5201", "7201"], run.Steps.Select(step => step.ExternalReference));
        var upsert = Assert.Single(system.HubSpot.CallsWith(contact));
        Assert.Equal(("POST", FakeHubSpot.UpsertPath), (upsert.Method, upsert.Path));
        KeyedStubs.AssertJsonBody("""
            {"inputs":[{"id":"ada@example.com","idProperty":"email","properties":{"firstname":"Ada","lastname":"King Lovelace"}}]}
            """, upsert);
        var activity = system.HubSpot.CallsWith(note);
        Assert.Equal([FakeHubSpot.UpsertPath, FakeHubSpot.NotesPath], activity.Select(call => call.Path));
        using var created = JsonDocument.Parse(activity[1].Body!);
        Assert.StartsWith("Completed survey srv_42 (response rsp_7, score 9)<p>",
            created.RootElement.GetProperty("properties").GetProperty("hs_note_body").GetString(), StringComparison.Ordinal);
        // The note's time is the event's.
        Assert.Equal("2026-11-26T10:00:00.000Z", created.RootElement.GetProperty("properties").GetProperty("hs_timestamp").GetString());
    }

    [Fact]
    public async Task Message_created_logs_a_note_on_its_author()
    {
        const string rule = "message-created";
        var eventId = Webhooks.NewEventId();
        var note = KeyOf(eventId, rule, 1);
        system.HubSpot.AnswersActivity(note, "5301", "7301");

        await system.Webhooks.AcceptedAsync(eventId, EventData.MessageCreated, EventData.Message());

        var run = await system.Runs.WaitFor(eventId, rule, "Completed");
        Assert.Equal("7301", Assert.Single(run.Steps).ExternalReference);
        var calls = system.HubSpot.CallsWith(note);
        Assert.Equal([FakeHubSpot.UpsertPath, FakeHubSpot.NotesPath], calls.Select(call => call.Path));
        KeyedStubs.AssertJsonBody("""{"inputs":[{"id":"alan@example.com","idProperty":"email","properties":{}}]}""", calls[0]);
        using var created = JsonDocument.Parse(calls[1].Body!);
        Assert.StartsWith("Message in conversation conv_3 (chat): Can we ship on Friday?<p>",
            created.RootElement.GetProperty("properties").GetProperty("hs_note_body").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_task_is_mailed_to_ops_and_a_succeeded_one_starts_nothing()
    {
        const string rule = "task-failed";
        var failed = Webhooks.NewEventId();
        var succeeded = Webhooks.NewEventId();
        var succeededTask = EventData.FailedTask();
        succeededTask["status"] = "succeeded";

        await system.Webhooks.AcceptedAsync(succeeded, EventData.TaskExecuted, succeededTask);
        await system.Webhooks.AcceptedAsync(failed, EventData.TaskExecuted, EventData.FailedTask());

        var run = await system.Runs.WaitFor(failed, rule, "Completed");
        await Eventually.Until(() => system.Runs.HasCopyOf(succeeded), "the Orchestrator received the succeeded task's event");
        var mail = Assert.Single(system.Smtp.AcceptedFor(KeyOf(failed, rule, 1)));
        Assert.Equal([ServiceSettings.OpsMailbox], mail.EnvelopeTo);
        Assert.Equal("Task nightly-export (task_5) failed: exit code 3", mail.Message.TextBody?.Trim());
        Assert.Equal(mail.Message.MessageId, Assert.Single(run.Steps).ExternalReference);
        // Its runs would have started with its copy, in one transaction: it matched no rule.
        Assert.Empty(await system.Runs.Of(succeeded));
    }

    [Fact]
    public async Task The_same_webhook_posted_twice_is_answered_duplicate_and_its_run_calls_each_system_once_per_step()
    {
        var eventId = Webhooks.NewEventId();
        var (contact, note) = AnswerSurvey(eventId, "5401", "7401");

        var first = await system.Webhooks.PostAsync(eventId, EventData.SurveyCompleted, EventData.Survey());
        var second = await system.Webhooks.PostAsync(eventId, EventData.SurveyCompleted, EventData.Survey());

        Assert.Equal(HttpStatusCode.Accepted, first.Status);
        Assert.Equal((HttpStatusCode.OK, "duplicate", first.Id), (second.Status, second.Body["status"]!.GetValue<string>(), second.Id));
        await system.Runs.WaitFor(eventId, SurveyRule, "Completed");
        Assert.Single(await system.Runs.Of(eventId));
        Assert.Single(system.HubSpot.CallsWith(contact));
        Assert.Equal(2, system.HubSpot.CallsWith(note).Count);
        await system.Published.WaitForAsync(eventId);
        Assert.Single(system.Published.For(eventId));
    }

    [Fact]
    public async Task The_event_message_delivered_again_by_the_broker_is_dropped_by_the_orchestrators_inbox_and_calls_nothing_again()
    {
        const string rule = "message-created";
        var eventId = Webhooks.NewEventId();
        var note = KeyOf(eventId, rule, 1);
        system.HubSpot.AnswersActivity(note, "5501", "7501");
        var recordId = await system.Webhooks.AcceptedAsync(eventId, EventData.MessageCreated, EventData.Message());
        var completed = await system.Runs.WaitFor(eventId, rule, "Completed");
        var published = await system.Published.WaitForAsync(eventId);
        Assert.Equal(recordId, published.MessageId);

        // The same message again, as the Ingress's outbox sends it when it crashed after sending and before recording so.
        await system.Published.RepublishAsync(published);

        await Eventually.Until(() => system.Published.For(eventId).Count == 2, "the broker delivered the message again");
        await Eventually.Until(async () => await system.Runs.InboxRow(recordId) is { ReceiveCount: >= 2 },
            "the Orchestrator's inbox received the message a second time");
        var run = Assert.Single(await system.Runs.Of(eventId));
        Assert.Equal((completed.CurrentState, completed.StartedAt, completed.FinishedAt), (run.CurrentState, run.StartedAt, run.FinishedAt));
        Assert.Equal(2, system.HubSpot.CallsWith(note).Count);
    }

    /// <summary>Answers the survey rule's steps for the event: the respondent's upsert, then the note's two calls.</summary>
    private (string Contact, string Note) AnswerSurvey(string eventId, string contactId, string noteId)
    {
        var (contact, note) = (KeyOf(eventId, SurveyRule, 1), KeyOf(eventId, SurveyRule, 2));
        system.HubSpot.AnswersContactUpsert(contact, contactId);
        system.HubSpot.AnswersActivity(note, contactId, noteId);
        return (contact, note);
    }
}
