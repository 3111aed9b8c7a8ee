using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Automation.Contracts;
using Automation.CrmSync.Tests.Infrastructure;

namespace Automation.CrmSync.Tests;

/// <summary>CrmSync against the Sandbox's HubSpot stand-in, as a local run wires them: what the connector sends is what the
/// stand-in understands, and the flows an operator sees in the Sandbox work end to end.</summary>
public sealed class CrmSyncAgainstSandboxTests(CrmSyncWithSandbox crm) : IClassFixture<CrmSyncWithSandbox>
{
    [Fact]
    public async Task A_contact_is_upserted_a_note_logged_on_it_and_the_note_deleted_by_compensation()
    {
        var email = $"ada.{Guid.NewGuid():N}@example.com";
        var upsert = Steps.New(1);
        var log = upsert with { Step = 2 };

        await crm.Service.Probe.SendAsync(StepCommandQueues.UpsertCrmContact, new UpsertCrmContact(upsert, email, "Ada Lovelace", Steps.NoValues));
        var contactId = (await crm.Service.Probe.Succeeded(upsert)).ExternalReference;
        await crm.Service.Probe.SendAsync(StepCommandQueues.LogCrmActivity, new LogCrmActivity(log, email, "<p>Survey {{data.surveyId}}</p>",
            new Dictionary<string, string> { ["data.surveyId"] = "srv_<42>" }, DateTimeOffset.UtcNow));
        var noteId = (await crm.Service.Probe.Succeeded(log)).ExternalReference;

        var contact = await GetAsync($"hubspot/crm/v3/objects/contacts/{contactId}");
        Assert.Equal(("Ada", "Lovelace"), ((string?)contact!["properties"]!["firstname"], (string?)contact["properties"]!["lastname"]));
        var note = await GetAsync($"hubspot/crm/v3/objects/notes/{noteId}");
        Assert.StartsWith("<p>Survey srv_&lt;42&gt;</p>", (string?)note!["properties"]!["hs_note_body"], StringComparison.Ordinal);

        await crm.Service.Probe.SendAsync(StepCommandQueues.DeleteCrmNote, new DeleteCrmNote(log, noteId));

        Assert.Equal($"note {noteId} deleted", (await crm.Service.Probe.Compensated(log)).Outcome);
        Assert.Equal(HttpStatusCode.NotFound, await StatusOfAsync($"hubspot/crm/v3/objects/notes/{noteId}"));
    }

    [Fact]
    public async Task A_note_created_though_its_answer_was_a_failure_is_found_by_its_marker_and_deleted_when_the_step_is_compensated()
    {
        var email = $"grace.{Guid.NewGuid():N}@example.com";
        var log = Steps.New(2);
        // HubSpot creates the note, then the answer CrmSync gets is a refusal: the step faults, its outcome is unknown here.
        using var failure = await crm.Sandbox.PostAsJsonAsync("sandbox/failures", new
        {
            api = "hubspot", method = "POST", pathContains = "/crm/v3/objects/notes", status = 422, afterEffect = true,
        }, TestContext.Current.CancellationToken);
        failure.EnsureSuccessStatusCode();

        await crm.Service.Probe.SendAsync(StepCommandQueues.LogCrmActivity,
            new LogCrmActivity(log, email, "<p>Message received</p>", Steps.NoValues, DateTimeOffset.UtcNow));
        await crm.Service.Probe.Faulted<LogCrmActivity>(log);
        await crm.Service.Probe.SendAsync(StepCommandQueues.DeleteCrmNote, new DeleteCrmNote(log, NoteId: null));

        var compensated = await crm.Service.Probe.Compensated(log);
        var noteId = Assert.Single(Regex.Matches(compensated.Outcome, @"^note (\d+) found by the step's key and deleted$")).Groups[1].Value;
        Assert.Equal(HttpStatusCode.NotFound, await StatusOfAsync($"hubspot/crm/v3/objects/notes/{noteId}"));
        var events = await GetAsync($"sandbox/events/{log.Source}/{log.EventId}");
        Assert.Contains(events!["calls"]!.AsArray(), call => (string?)call!["method"] == "POST"
            && (string?)call["path"] == "/hubspot/crm/v3/objects/notes" && (string?)call["effect"] == "failed");
    }

    private async Task<JsonObject?> GetAsync(string path) =>
        await crm.Sandbox.GetFromJsonAsync<JsonObject>(path, TestContext.Current.CancellationToken);

    private async Task<HttpStatusCode> StatusOfAsync(string path)
    {
        using var response = await crm.Sandbox.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        return response.StatusCode;
    }
}
