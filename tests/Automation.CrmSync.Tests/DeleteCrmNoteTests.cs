using Automation.Connectors;
using Automation.Contracts;
using Automation.CrmSync.Notes;
using Automation.CrmSync.Tests.Infrastructure;
using Automation.Testing;

namespace Automation.CrmSync.Tests;

/// <summary>The compensation of <c>crm.log_activity</c> against HubSpot (a real HTTP server answering as HubSpot documents),
/// over a real RabbitMQ and PostgreSQL.</summary>
public sealed class DeleteCrmNoteTests(CrmSyncWithFakeHubSpot crm) : IClassFixture<CrmSyncWithFakeHubSpot>
{
    private const string Queue = StepCommandQueues.DeleteCrmNote;

    private FakeHubSpot HubSpot => crm.HubSpot;

    private StepProbe Probe => crm.Service.Probe;

    [Fact]
    public async Task Deletes_the_note_it_is_given_with_the_compensation_key()
    {
        var step = Steps.New(2);
        HubSpot.AnswersNoteDeletion(step.CompensationKey, "9401");

        await Probe.SendAsync(Queue, new DeleteCrmNote(step, "9401"));

        Assert.Equal("note 9401 deleted", (await Probe.Compensated(step)).Outcome);
        var call = Assert.Single(HubSpot.CallsWith(step.CompensationKey));
        Assert.Equal(("DELETE", $"{FakeHubSpot.NotesPath}/9401"), (call.Method, call.Path));
        Assert.Equal($"Bearer {CrmSyncService.AccessToken}", KeyedStubs.HeaderOf(call, "Authorization"));
    }

    [Fact]
    public async Task A_note_already_gone_counts_as_undone()
    {
        var step = Steps.New(2);
        HubSpot.AnswersNoteDeletion(step.CompensationKey, "9402",
            FakeHubSpot.Error(404, "OBJECT_NOT_FOUND", "Object not found.  objectId are usually numeric."));

        await Probe.SendAsync(Queue, new DeleteCrmNote(step, "9402"));

        Assert.Equal("note 9402 was already gone", (await Probe.Compensated(step)).Outcome);
    }

    [Fact]
    public async Task Without_a_reference_the_note_this_service_logged_for_the_step_is_deleted_without_a_search()
    {
        var step = Steps.New(2);
        HubSpot.AnswersActivity(step.IdempotencyKey, "5301", "9403");
        HubSpot.AnswersNoteDeletion(step.CompensationKey, "9403");
        await Probe.SendAsync(StepCommandQueues.LogCrmActivity,
            new LogCrmActivity(step, "ada@example.com", "Survey completed", Steps.NoValues, DateTimeOffset.UtcNow));
        await Probe.Succeeded(step);

        await Probe.SendAsync(Queue, new DeleteCrmNote(step, NoteId: null));

        Assert.Equal("note 9403 deleted", (await Probe.Compensated(step)).Outcome);
        var call = Assert.Single(HubSpot.CallsWith(step.CompensationKey));
        Assert.Equal(("DELETE", $"{FakeHubSpot.NotesPath}/9403"), (call.Method, call.Path));
    }

    [Fact]
    public async Task Without_a_reference_or_an_outcome_the_notes_carrying_the_steps_marker_are_found_and_deleted()
    {
        var step = Steps.New(2);
        var marker = NoteBody.MarkerOf(step.IdempotencyKey);
        HubSpot.Answers("POST", FakeHubSpot.SearchPath, step.CompensationKey, new ApiReply(200, $$"""
            {"total":2,"results":[
              {"id":"9404","properties":{"hs_note_body":"<p>Survey completed</p><p>Automation step (ref {{marker}})</p>","hs_object_id":"9404"},"archived":false},
              {"id":"9405","properties":{"hs_note_body":"<p>a note that only looked alike</p>","hs_object_id":"9405"},"archived":false}]}
            """));
        HubSpot.AnswersNoteDeletion(step.CompensationKey, "9404");

        await Probe.SendAsync(Queue, new DeleteCrmNote(step, NoteId: null));

        Assert.Equal("note 9404 found by the step's key and deleted", (await Probe.Compensated(step)).Outcome);
        var calls = HubSpot.CallsWith(step.CompensationKey);
        Assert.Equal(2, calls.Count);
        Assert.Equal(("POST", FakeHubSpot.SearchPath), (calls[0].Method, calls[0].Path));
        KeyedStubs.AssertJsonBody($$"""
            {"filterGroups":[{"filters":[{"propertyName":"hs_note_body","operator":"CONTAINS_TOKEN","value":"{{marker}}"}]}],
             "properties":["hs_note_body"],"limit":10}
            """, calls[0]);
        Assert.Equal(("DELETE", $"{FakeHubSpot.NotesPath}/9404"), (calls[1].Method, calls[1].Path));
    }

    [Fact]
    public async Task Finding_nothing_is_answered_but_not_remembered_so_a_later_compensation_after_a_late_success_deletes_the_note()
    {
        var step = Steps.New(2);
        var marker = NoteBody.MarkerOf(step.IdempotencyKey);
        HubSpot.Answers("POST", FakeHubSpot.SearchPath, step.CompensationKey,
            FakeHubSpot.NothingFound(),
            new ApiReply(200, $$$"""{"total":1,"results":[{"id":"9406","properties":{"hs_note_body":"(ref {{{marker}}})"}}]}"""));
        HubSpot.AnswersNoteDeletion(step.CompensationKey, "9406");

        await Probe.SendAsync(Queue, new DeleteCrmNote(step, NoteId: null));
        Assert.Equal(CompensationConsumer<DeleteCrmNote>.NothingToUndo, (await Probe.Compensated(step)).Outcome);
        await Probe.SendAsync(Queue, new DeleteCrmNote(step, NoteId: null));

        await Eventually.Until(() => Probe.Received<StepCompensated>().Any(done => done.Step == step && done.Outcome != CompensationConsumer<DeleteCrmNote>.NothingToUndo),
            "the second compensation deleted the note");
        Assert.Single(HubSpot.CallsWith(step.CompensationKey), call => call.Method == "DELETE" && call.Path == $"{FakeHubSpot.NotesPath}/9406");
    }

    [Fact]
    public async Task A_deletion_HubSpot_refuses_faults_the_compensation()
    {
        var step = Steps.New(2);
        HubSpot.AnswersNoteDeletion(step.CompensationKey, "9407",
            FakeHubSpot.Error(403, "MISSING_SCOPES", "This app hasn't been granted all required scopes to make this call."));

        await Probe.SendAsync(Queue, new DeleteCrmNote(step, "9407"));

        var fault = await Probe.Faulted<DeleteCrmNote>(step);
        Assert.Contains("HubSpot note deletion: 403", Assert.Single(fault.Exceptions).Message, StringComparison.Ordinal);
        Assert.Single(HubSpot.CallsWith(step.CompensationKey));
    }
}
