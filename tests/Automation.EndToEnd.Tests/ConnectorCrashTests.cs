using Automation.EndToEnd.Tests.Infrastructure;
using Automation.Orchestrator.Runs;
using Automation.Sandbox;
using static Automation.EndToEnd.Tests.Infrastructure.AutomationSystem;

namespace Automation.EndToEnd.Tests;

/// <summary>A connector service killed (SIGKILL) in the middle of a run, and started again.</summary>
public sealed class ConnectorCrashTests(SystemWithCrmSyncProcess system) : IClassFixture<SystemWithCrmSyncProcess>
{
    private const string NotesPath = "/hubspot/crm/v3/objects/notes";

    /// <summary>The crash hits the one window the inbox cannot close: HubSpot created the note, CrmSync never got the answer
    /// and never committed. After the restart the broker redelivers the command, CrmSync calls again with the same key, and
    /// the run completes. The Sandbox honours the key (the spec asks it to, so effects can be counted): the repeated call gets
    /// the first answer and creates nothing. What is proven: one note, the run Completed with that note's id, and the call
    /// repeated exactly once. Against HubSpot itself, which ignores the key, the repeat would be a second note with the same
    /// body and marker (docs/connectors/crm-sync.md: the crash window).</summary>
    [Fact]
    public async Task When_CrmSync_is_killed_while_HubSpot_creates_the_note_the_run_completes_after_its_restart_with_one_note()
    {
        const string rule = "survey-completed";
        var eventId = Webhooks.NewEventId();
        var key = KeyOf(eventId, rule, 2);
        // The Sandbox creates the next note and then holds its answer: the call is in flight, its effect done.
        system.Failures.Add(new PlannedFailure("hubspot", "POST", NotesPath, Hang: true, AfterEffect: true));

        await system.Webhooks.AcceptedAsync(eventId, EventData.SurveyCompleted, EventData.Survey());
        await Eventually.Until(() => NoteCreations(eventId, key).Contains(SandboxLedger.Applied), "HubSpot created the note");
        await system.CrmSync.KillAsync();
        await system.StartCrmSyncAsync();

        var run = await system.Runs.WaitFor(eventId, rule, "Completed");
        Assert.Equal([SandboxLedger.Applied, SandboxLedger.Failed, SandboxLedger.Replayed], NoteCreations(eventId, key));
        var note = Assert.Single(system.HubSpot.Notes(note => note.Properties["hs_note_body"]?.Contains(key, StringComparison.Ordinal) == true));
        Assert.Equal((StepStatus.Succeeded, note.Id), (run.StepAt(2)!.Status, run.StepAt(2)!.ExternalReference));
        Assert.Equal(StepStatus.Succeeded, run.StepAt(1)!.Status);
    }

    /// <summary>What each note creation with the step's key did at the Sandbox, in order.</summary>
    private string[] NoteCreations(string eventId, string key) =>
        [.. system.Calls.CallsFor(ServiceSettings.Source, eventId)
            .Where(call => call is { Method: "POST", Path: NotesPath } && call.IdempotencyKey == key)
            .Select(call => call.Effect)];
}
