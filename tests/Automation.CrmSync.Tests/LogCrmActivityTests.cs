using Automation.Contracts;
using Automation.CrmSync.Notes;
using Automation.CrmSync.Tests.Infrastructure;
using Automation.Testing;

namespace Automation.CrmSync.Tests;

/// <summary><c>crm.log_activity</c> against HubSpot (a real HTTP server answering as HubSpot documents), over a real
/// RabbitMQ and PostgreSQL.</summary>
public sealed class LogCrmActivityTests(CrmSyncWithFakeHubSpot crm) : IClassFixture<CrmSyncWithFakeHubSpot>
{
    private const string Queue = StepCommandQueues.LogCrmActivity;

    private static readonly DateTimeOffset OccurredAt = new(2026, 11, 26, 10, 0, 0, TimeSpan.FromHours(2));

    private FakeHubSpot HubSpot => crm.HubSpot;

    private StepProbe Probe => crm.Service.Probe;

    [Fact]
    public async Task Logs_a_note_with_the_escaped_template_and_the_steps_marker_on_the_contact_of_the_email()
    {
        var step = Steps.New(2);
        HubSpot.AnswersActivity(step.IdempotencyKey, "5201", "9301");
        var values = new Dictionary<string, string> { ["data.surveyId"] = "srv_42", ["data.name"] = "<b>Ada</b> & \"Co\"" };

        await Probe.SendAsync(Queue, new LogCrmActivity(step, "ada@example.com",
            "<p>Survey {{data.surveyId}} completed by {{ data.name }}</p>", values, OccurredAt));

        Assert.Equal("9301", (await Probe.Succeeded(step)).ExternalReference);
        var calls = HubSpot.CallsWith(step.IdempotencyKey);
        Assert.Equal(2, calls.Count);
        Assert.Equal(("POST", FakeHubSpot.UpsertPath), (calls[0].Method, calls[0].Path));
        KeyedStubs.AssertJsonBody("""{"inputs":[{"id":"ada@example.com","idProperty":"email","properties":{}}]}""", calls[0]);
        var note = calls[1];
        Assert.Equal(("POST", FakeHubSpot.NotesPath), (note.Method, note.Path));
        Assert.Equal($"Bearer {CrmSyncService.AccessToken}", KeyedStubs.HeaderOf(note, "Authorization"));
        var marker = NoteBody.MarkerOf(step.IdempotencyKey);
        Assert.Matches("^automation[0-9a-f]{32}$", marker);
        KeyedStubs.AssertJsonBody($$"""
            {"properties":{"hs_timestamp":"2026-11-26T08:00:00.000Z",
              "hs_note_body":"<p>Survey srv_42 completed by &lt;b&gt;Ada&lt;/b&gt; &amp; &quot;Co&quot;</p><p>Automation step {{step.IdempotencyKey}} (ref {{marker}})</p>"},
             "associations":[{"to":{"id":"5201"},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":202}]}]}
            """, note);
    }

    [Fact]
    public async Task An_activity_without_a_contact_email_faults_at_once_with_the_reason_and_calls_nothing()
    {
        var step = Steps.New(2);

        await Probe.SendAsync(Queue, new LogCrmActivity(step, null, "Survey completed", Steps.NoValues, OccurredAt));

        var fault = await Probe.Faulted<LogCrmActivity>(step);
        Assert.Contains("the event has no e-mail for the contact", Assert.Single(fault.Exceptions).Message, StringComparison.Ordinal);
        Assert.Empty(HubSpot.CallsWith(step.IdempotencyKey));
    }

    [Fact]
    public async Task Too_many_requests_is_retried_no_sooner_than_its_Retry_After()
    {
        var step = Steps.New(2);
        HubSpot.AnswersContactUpsert(step.IdempotencyKey, "5202");
        HubSpot.Answers("POST", FakeHubSpot.NotesPath, step.IdempotencyKey,
            FakeHubSpot.RateLimited(retryAfter: "1"), FakeHubSpot.NoteCreated("9302"));

        await Probe.SendAsync(Queue, new LogCrmActivity(step, "ada@example.com", "Survey completed", Steps.NoValues, OccurredAt));

        Assert.Equal("9302", (await Probe.Succeeded(step)).ExternalReference);
        var noteCalls = HubSpot.CallsWith(step.IdempotencyKey).Where(call => call.Path == FakeHubSpot.NotesPath).ToArray();
        Assert.Equal(2, noteCalls.Length);
        Assert.True(noteCalls[1].DateTime - noteCalls[0].DateTime >= TimeSpan.FromSeconds(1),
            $"retried after {(noteCalls[1].DateTime - noteCalls[0].DateTime).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task An_answer_without_a_note_id_faults_with_a_clear_reason()
    {
        var step = Steps.New(2);
        HubSpot.AnswersContactUpsert(step.IdempotencyKey, "5204");
        HubSpot.Answers("POST", FakeHubSpot.NotesPath, step.IdempotencyKey, new ApiReply(201, """{"properties":{}}"""));

        await Probe.SendAsync(Queue, new LogCrmActivity(step, "ada@example.com", "Survey completed", Steps.NoValues, OccurredAt));

        var fault = await Probe.Faulted<LogCrmActivity>(step);
        Assert.Contains("HubSpot note creation: the answer had no note id", Assert.Single(fault.Exceptions).Message, StringComparison.Ordinal);
        Assert.Single(HubSpot.CallsWith(step.IdempotencyKey), call => call.Path == FakeHubSpot.NotesPath);
    }
}
