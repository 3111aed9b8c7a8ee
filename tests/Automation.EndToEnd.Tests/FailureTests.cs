using System.Net;
using Automation.Contracts;
using Automation.EndToEnd.Tests.Infrastructure;
using Automation.Orchestrator.Runs;
using static Automation.EndToEnd.Tests.Infrastructure.AutomationSystem;
using static Automation.Testing.ExternalApis.SlackWebhookStubs;

namespace Automation.EndToEnd.Tests;

/// <summary>The shipped rules, plus one whose second step needs what a message event may lack: a pipeline for the
/// conversation, then its author's contact.</summary>
public sealed class SystemWithFollowUpRule : AutomationSystem
{
    public const string FollowUp = "conversation-follow-up";

    protected override Dictionary<string, string> ExtraRules() => new()
    {
        [$"Automation:Rules:{FollowUp}:EventType"] = EventData.MessageCreated,
        [$"Automation:Rules:{FollowUp}:Steps:0:Kind"] = StepKinds.CiTriggerPipeline,
        [$"Automation:Rules:{FollowUp}:Steps:0:Pipeline"] = ServiceSettings.Pipeline,
        [$"Automation:Rules:{FollowUp}:Steps:0:Variables:conversation_id"] = "conversationId",
        [$"Automation:Rules:{FollowUp}:Steps:1:Kind"] = StepKinds.CrmUpsertContact,
        [$"Automation:Rules:{FollowUp}:Steps:1:Email"] = "author.email",
        [$"Automation:Rules:{FollowUp}:Steps:1:Name"] = "author.name",
    };
}

/// <summary>Runs whose steps fail, through every service: what is undone, what the operators are told, what is retried and
/// how often, and what each run's row says.</summary>
public sealed class FailureTests(SystemWithFollowUpRule system) : IClassFixture<SystemWithFollowUpRule>
{
    private const string ContentRule = Infrastructure.AutomationSystem.ContentPublished;

    [Fact]
    public async Task When_CI_refuses_the_pipeline_the_note_is_deleted_ops_are_told_and_the_run_ends_Compensated()
    {
        var eventId = Webhooks.NewEventId();
        var (note, pipeline, slack) = system.AnswerContentRefusedByCi(eventId);

        await system.Webhooks.AcceptedAsync(eventId, EventData.ContentStateChanged, EventData.Content());

        var run = await system.Runs.WaitFor(eventId, ContentRule, "Compensated");
        Assert.Equal(2, run.FailedStep);
        Assert.Contains("step 2 (ci.trigger_pipeline) failed", run.Failure, StringComparison.Ordinal);
        Assert.Contains("422", run.Failure, StringComparison.Ordinal);
        Assert.Contains("No ref found for: main", run.Failure, StringComparison.Ordinal);
        Assert.Equal((CompensationStatus.Compensated, "note 7601 deleted"), (run.StepAt(1)!.Compensation, run.StepAt(1)!.CompensationOutcome));
        Assert.Equal((StepStatus.Failed, CompensationStatus.Compensated, "nothing to undo"),
            (run.StepAt(2)!.Status, run.StepAt(2)!.Compensation, run.StepAt(2)!.CompensationOutcome));
        Assert.Equal(StepStatus.Pending, run.StepAt(3)!.Status);

        // A 4xx is not retried; the failed step was looked for by its key (GitHub had started no run), nothing cancelled;
        // the next step never ran.
        Assert.Single(system.Ci.CallsWith(pipeline));
        Assert.Equal([("GET", FakeCi.GitHubRunsPath)], system.Ci.CallsWith($"{pipeline}:compensate").Select(call => (call.Method, call.Path)));
        Assert.Empty(system.Slack.CallsWith(slack));
        var deletion = Assert.Single(system.HubSpot.CallsWith($"{note}:compensate"));
        Assert.Equal(("DELETE", $"{FakeHubSpot.NotesPath}/7601"), (deletion.Method, deletion.Path));
        Assert.Equal($"Bearer {ServiceSettings.HubSpotToken}", KeyedStubs.HeaderOf(deletion, "Authorization"));
        await AssertInErrorQueueOnce(StepCommandQueues.TriggerPipeline, pipeline);

        var notice = await FailureNotice(eventId, ContentRule);
        Assert.Contains($"Automation {ContentRule} (run 1) failed for content.state_changed event {eventId} from e2e: step 2 (ci.trigger_pipeline) failed",
            notice, StringComparison.Ordinal);
        Assert.Contains("the run ended Compensated", notice, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_CRM_answers_503_twice_then_200_the_step_is_retried_and_the_run_completes()
    {
        const string rule = "survey-completed";
        var eventId = Webhooks.NewEventId();
        var (contact, note) = (KeyOf(eventId, rule, 1), KeyOf(eventId, rule, 2));
        var unavailable = FakeHubSpot.Error(503, "INTERNAL_ERROR", "Service Unavailable");
        system.HubSpot.Answers("POST", FakeHubSpot.UpsertPath, contact, unavailable, unavailable, FakeHubSpot.ContactUpserted("5701"));
        system.HubSpot.AnswersActivity(note, "5001", "7701");

        await system.Webhooks.AcceptedAsync(eventId, EventData.SurveyCompleted, EventData.Survey());

        var run = await system.Runs.WaitFor(eventId, rule, "Completed");
        var calls = system.HubSpot.CallsWith(contact);
        Assert.Equal(3, calls.Count);
        Assert.All(calls, call => Assert.Equal((FakeHubSpot.UpsertPath, calls[0].Body), (call.Path, call.Body)));
        Assert.Equal((StepStatus.Succeeded, "5701", 3), (run.StepAt(1)!.Status, run.StepAt(1)!.ExternalReference, run.StepAt(1)!.Attempts));
        Assert.Equal("7701", run.StepAt(2)!.ExternalReference);
        Assert.Null(run.Failure);
    }

    [Fact]
    public async Task When_the_note_cannot_be_deleted_the_run_ends_Failed_its_row_naming_the_step_and_why_after_bounded_retries()
    {
        var eventId = Webhooks.NewEventId();
        var (note, pipeline) = (KeyOf(eventId, ContentRule, 1), KeyOf(eventId, ContentRule, 2));
        system.HubSpot.AnswersActivity(note, "5001", "7801");
        system.Ci.Answer("POST", FakeCi.GitHubDispatchPath, pipeline, FakeCi.GitHubError(422, "Workflow does not have 'workflow_dispatch' trigger"));
        system.Ci.Answer("GET", FakeCi.GitHubRunsPath, $"{pipeline}:compensate", FakeCi.GitHubRuns());
        system.HubSpot.AnswersNoteDeletion($"{note}:compensate", "7801", FakeHubSpot.Error(500, "INTERNAL_ERROR", "internal error"));

        await system.Webhooks.AcceptedAsync(eventId, EventData.ContentStateChanged, EventData.Content());

        var run = await system.Runs.WaitFor(eventId, ContentRule, "Failed");
        Assert.Equal(2, run.FailedStep);
        Assert.Contains("step 2 (ci.trigger_pipeline) failed", run.Failure, StringComparison.Ordinal);
        var undo = run.StepAt(1)!;
        Assert.Equal(CompensationStatus.Failed, undo.Compensation);
        Assert.Contains("HubSpot note deletion", undo.CompensationError, StringComparison.Ordinal);
        Assert.Contains("500", undo.CompensationError, StringComparison.Ordinal);
        Assert.NotNull(run.FinishedAt);
        Assert.Equal(ServiceSettings.CallsUntilFault, system.HubSpot.CallsWith($"{note}:compensate").Count);
        await AssertInErrorQueueOnce(StepCommandQueues.DeleteCrmNote, $"{note}:compensate");
        Assert.Contains("the run ended Failed", await FailureNotice(eventId, ContentRule), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_message_has_no_author_the_steps_needing_an_email_fail_for_good_at_once_and_what_was_done_is_undone()
    {
        const string messageRule = "message-created";
        var eventId = Webhooks.NewEventId();
        var note = KeyOf(eventId, messageRule, 1);
        var (pipeline, contact) = (KeyOf(eventId, SystemWithFollowUpRule.FollowUp, 1), KeyOf(eventId, SystemWithFollowUpRule.FollowUp, 2));
        system.Ci.Answer("POST", FakeCi.GitHubDispatchPath, pipeline, FakeCi.RunDetails(9901));
        system.Ci.Answer("POST", FakeCi.GitHubCancelPath(9901), $"{pipeline}:compensate", new ApiReply(202, "{}"));
        system.HubSpot.Answers("POST", FakeHubSpot.SearchPath, $"{note}:compensate", FakeHubSpot.NothingFound());
        var anonymous = EventData.Message();
        anonymous.Remove("author");

        await system.Webhooks.AcceptedAsync(eventId, EventData.MessageCreated, anonymous);

        var followUp = await system.Runs.WaitFor(eventId, SystemWithFollowUpRule.FollowUp, "Compensated");
        Assert.Equal((2, StepStatus.Failed), (followUp.FailedStep, followUp.StepAt(2)!.Status));
        Assert.Contains("the event has no e-mail for the contact", followUp.Failure, StringComparison.Ordinal);
        Assert.Equal((CompensationStatus.Compensated, "workflow run 9901 of example/website cancelled"),
            (followUp.StepAt(1)!.Compensation, followUp.StepAt(1)!.CompensationOutcome));
        Assert.Equal(CompensationStatus.NotCompensable, followUp.StepAt(2)!.Compensation);
        var logged = await system.Runs.WaitFor(eventId, messageRule, "Compensated");
        Assert.Contains("the event has no e-mail for the contact", logged.Failure, StringComparison.Ordinal);
        Assert.Equal("nothing to undo", logged.StepAt(1)!.CompensationOutcome);

        // Refused before any call, never retried: HubSpot heard nothing of either step (the failed note was only looked
        // for, by its key, when the run compensated), each command is in its error queue once, and the operators were
        // told of both runs.
        Assert.Empty(system.HubSpot.CallsWith(contact));
        Assert.Empty(system.HubSpot.CallsWith(note));
        Assert.Equal(["POST " + FakeHubSpot.SearchPath], system.HubSpot.CallsWith($"{note}:compensate").Select(call => $"{call.Method} {call.Path}"));
        await AssertInErrorQueueOnce(StepCommandQueues.UpsertCrmContact, contact);
        await AssertInErrorQueueOnce(StepCommandQueues.LogCrmActivity, note);
        var cancel = Assert.Single(system.Ci.CallsWith($"{pipeline}:compensate"));
        Assert.Equal(("POST", FakeCi.GitHubCancelPath(9901)), (cancel.Method, cancel.Path));
        Assert.Contains("the event has no e-mail for the contact", await FailureNotice(eventId, SystemWithFollowUpRule.FollowUp), StringComparison.Ordinal);
        Assert.Contains("the event has no e-mail for the contact", await FailureNotice(eventId, messageRule), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_survey_lacks_its_respondents_email_the_Ingress_refuses_it_naming_the_field()
    {
        var survey = EventData.Survey();
        survey["respondent"]!.AsObject().Remove("email");

        var answer = await system.Webhooks.PostAsync(Webhooks.NewEventId(), EventData.SurveyCompleted, survey);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.True(answer.Body["errors"]?.AsObject().ContainsKey("data.respondent.email"), answer.Body.ToJsonString());
    }

    [Fact]
    public async Task When_CI_answers_something_that_is_not_its_JSON_the_step_fails_at_once_with_the_reason_and_the_run_undoes_it_too()
    {
        var eventId = Webhooks.NewEventId();
        var (note, pipeline) = (KeyOf(eventId, ContentRule, 1), KeyOf(eventId, ContentRule, 2));
        system.HubSpot.AnswersActivity(note, "5001", "7901");
        system.Ci.Answer("POST", FakeCi.GitHubDispatchPath, pipeline, new ApiReply(200, Html: "<html><body>Service temporarily rerouted</body></html>"));
        // The dispatch did reach GitHub: the run it started shows the step's key.
        system.Ci.Answer("GET", FakeCi.GitHubRunsPath, $"{pipeline}:compensate", FakeCi.GitHubRuns((9902, $"Publish {pipeline}", "queued")));
        system.Ci.Answer("POST", FakeCi.GitHubCancelPath(9902), $"{pipeline}:compensate", new ApiReply(202, "{}"));
        system.HubSpot.AnswersNoteDeletion($"{note}:compensate", "7901");

        await system.Webhooks.AcceptedAsync(eventId, EventData.ContentStateChanged, EventData.Content());

        var run = await system.Runs.WaitFor(eventId, ContentRule, "Compensated");
        Assert.Contains("GitHub workflow dispatch: the answer was not the expected JSON", run.Failure, StringComparison.Ordinal);
        Assert.Equal("note 7901 deleted", run.StepAt(1)!.CompensationOutcome);
        // An unreadable answer is no proof that nothing happened: the run the dispatch started is found and cancelled.
        Assert.Equal("workflow run 9902 of example/website cancelled (found by the step's key)", run.StepAt(2)!.CompensationOutcome);
        // One call, no retry loop: the command waits in the error queue for an operator.
        Assert.Single(system.Ci.CallsWith(pipeline));
        await AssertInErrorQueueOnce(StepCommandQueues.TriggerPipeline, pipeline);
        await FailureNotice(eventId, ContentRule);
    }

    /// <summary>The failure notice of the run (step 0, to the ops mailbox), once it was accepted.</summary>
    private async Task<string> FailureNotice(string eventId, string rule)
    {
        var key = KeyOf(eventId, rule, StepIdentity.FailureNotice);
        await Eventually.Until(() => system.Smtp.AcceptedFor(key).Count > 0, $"the failure notice {key} was mailed");
        var mail = Assert.Single(system.Smtp.AcceptedFor(key));
        Assert.Equal([ServiceSettings.OpsMailbox], mail.EnvelopeTo);
        return mail.Message.TextBody ?? "";
    }

    /// <summary>Asserts the command of the step (by its key) waits in the queue's error queue, once.</summary>
    private async Task AssertInErrorQueueOnce(string queue, string key)
    {
        var count = 0;
        await Eventually.Until(async () =>
        {
            count = (await system.VirtualHost.PeekBodies($"{queue}_error")).Count(body => body.Contains($"\"{key}\"", StringComparison.Ordinal));
            return count > 0;
        }, $"{key} is in {queue}_error");
        Assert.Equal(1, count);
    }
}
