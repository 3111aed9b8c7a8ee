using Automation.Contracts;
using Automation.CrmSync.Tests.Infrastructure;
using Automation.Testing;

namespace Automation.CrmSync.Tests;

/// <summary><c>crm.upsert_contact</c> against HubSpot (a real HTTP server answering as HubSpot documents), over a real
/// RabbitMQ and PostgreSQL.</summary>
public sealed class UpsertCrmContactTests(CrmSyncWithFakeHubSpot crm) : IClassFixture<CrmSyncWithFakeHubSpot>
{
    private const string Queue = StepCommandQueues.UpsertCrmContact;

    private FakeHubSpot HubSpot => crm.HubSpot;

    private StepProbe Probe => crm.Service.Probe;

    [Fact]
    public async Task Upserts_the_contact_by_email_with_the_token_and_the_key_and_answers_with_the_contact_id()
    {
        var step = Steps.New();
        HubSpot.AnswersContactUpsert(step.IdempotencyKey, "4101");

        await Probe.SendAsync(Queue, new UpsertCrmContact(step, "ada@example.com", "Ada King Lovelace",
            new Dictionary<string, string> { ["company"] = "Analytical Engines & Co" }));

        var succeeded = await Probe.Succeeded(step);
        Assert.Equal("4101", succeeded.ExternalReference);
        var call = Assert.Single(HubSpot.CallsWith(step.IdempotencyKey));
        Assert.Equal("POST", call.Method);
        Assert.Equal(FakeHubSpot.UpsertPath, call.Path);
        Assert.Equal($"Bearer {CrmSyncService.AccessToken}", KeyedStubs.HeaderOf(call, "Authorization"));
        Assert.StartsWith("application/json", KeyedStubs.HeaderOf(call, "Content-Type"), StringComparison.Ordinal);
        KeyedStubs.AssertJsonBody("""
            {"inputs":[{"id":"ada@example.com","idProperty":"email",
              "properties":{"firstname":"Ada","lastname":"King Lovelace","company":"Analytical Engines & Co"}}]}
            """, call);
    }

    [Fact]
    public async Task The_rules_own_properties_win_over_the_name_and_a_contact_without_a_name_gets_none()
    {
        var named = Steps.New();
        var nameless = Steps.New();
        HubSpot.AnswersContactUpsert(named.IdempotencyKey, "4102");
        HubSpot.AnswersContactUpsert(nameless.IdempotencyKey, "4103");

        await Probe.SendAsync(Queue, new UpsertCrmContact(named, "ada@example.com", "Ada Lovelace",
            new Dictionary<string, string> { ["lastname"] = "Byron" }));
        await Probe.SendAsync(Queue, new UpsertCrmContact(nameless, "grace@example.com", null, Steps.NoValues));

        await Task.WhenAll(Probe.Succeeded(named), Probe.Succeeded(nameless));
        KeyedStubs.AssertJsonBody("""
            {"inputs":[{"id":"ada@example.com","idProperty":"email","properties":{"firstname":"Ada","lastname":"Byron"}}]}
            """, Assert.Single(HubSpot.CallsWith(named.IdempotencyKey)));
        KeyedStubs.AssertJsonBody("""
            {"inputs":[{"id":"grace@example.com","idProperty":"email","properties":{}}]}
            """, Assert.Single(HubSpot.CallsWith(nameless.IdempotencyKey)));
    }

    [Fact]
    public async Task An_event_without_an_email_faults_at_once_with_the_reason_and_calls_nothing()
    {
        var step = Steps.New();

        await Probe.SendAsync(Queue, new UpsertCrmContact(step, " ", "Ada Lovelace", Steps.NoValues));

        var fault = await Probe.Faulted<UpsertCrmContact>(step);
        Assert.Contains("the event has no e-mail for the contact", Assert.Single(fault.Exceptions).Message, StringComparison.Ordinal);
        Assert.Empty(HubSpot.CallsWith(step.IdempotencyKey));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(422)]
    public async Task A_refusal_faults_at_once_into_the_error_queue_after_one_call(int status)
    {
        var step = Steps.New();
        HubSpot.Answers("POST", FakeHubSpot.UpsertPath, step.IdempotencyKey,
            FakeHubSpot.Error(status, "VALIDATION_ERROR", "Property values were not valid: INVALID_EMAIL"));
        var errorsBefore = await crm.Service.VirtualHost.MessageCount($"{Queue}_error");

        await Probe.SendAsync(Queue, new UpsertCrmContact(step, "not-an-address", null, Steps.NoValues));

        var fault = await Probe.Faulted<UpsertCrmContact>(step);
        var reason = Assert.Single(fault.Exceptions).Message;
        Assert.Contains($"HubSpot contact upsert: {status}", reason, StringComparison.Ordinal);
        Assert.Contains("INVALID_EMAIL", reason, StringComparison.Ordinal);
        // At least one more: an earlier test's faulted command may still be arriving there.
        await Eventually.Until(async () => await crm.Service.VirtualHost.MessageCount($"{Queue}_error") >= errorsBefore + 1,
            "the command is in the error queue");
        Assert.Single(HubSpot.CallsWith(step.IdempotencyKey));
    }

    [Fact]
    public async Task Two_failures_then_success_completes_the_step_after_retries()
    {
        var step = Steps.New();
        var unavailable = FakeHubSpot.Error(503, "SERVICE_UNAVAILABLE", "Service unavailable");
        HubSpot.Answers("POST", FakeHubSpot.UpsertPath, step.IdempotencyKey, unavailable, unavailable, FakeHubSpot.ContactUpserted("4104"));

        await Probe.SendAsync(Queue, new UpsertCrmContact(step, "ada@example.com", null, Steps.NoValues));

        var succeeded = await Probe.Succeeded(step);
        Assert.Equal("4104", succeeded.ExternalReference);
        Assert.Equal(3, HubSpot.CallsWith(step.IdempotencyKey).Count);
        Assert.DoesNotContain(Probe.Received<MassTransit.Fault<UpsertCrmContact>>(), fault => fault.Message.Step == step);
    }

    [Fact]
    public async Task A_malformed_answer_faults_with_a_clear_reason_after_one_call()
    {
        var step = Steps.New();
        HubSpot.Answers("POST", FakeHubSpot.UpsertPath, step.IdempotencyKey, new ApiReply(200, "<html>maintenance</html>"));

        await Probe.SendAsync(Queue, new UpsertCrmContact(step, "ada@example.com", null, Steps.NoValues));

        var fault = await Probe.Faulted<UpsertCrmContact>(step);
        Assert.Contains("HubSpot contact upsert: the answer was not the expected JSON", Assert.Single(fault.Exceptions).Message,
            StringComparison.Ordinal);
        Assert.Single(HubSpot.CallsWith(step.IdempotencyKey));
    }

    [Fact]
    public async Task A_multi_status_answer_without_the_contact_faults_with_HubSpots_reason()
    {
        var step = Steps.New();
        HubSpot.Answers("POST", FakeHubSpot.UpsertPath, step.IdempotencyKey, new ApiReply(207, """
            {"status":"COMPLETE","results":[],"numErrors":1,"errors":[{"status":"error","category":"VALIDATION_ERROR",
             "message":"Property values were not valid: lastname too long","context":{}}]}
            """));

        await Probe.SendAsync(Queue, new UpsertCrmContact(step, "ada@example.com", null, Steps.NoValues));

        var fault = await Probe.Faulted<UpsertCrmContact>(step);
        Assert.Contains("VALIDATION_ERROR: Property values were not valid: lastname too long", Assert.Single(fault.Exceptions).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_message_delivered_twice_calls_HubSpot_once()
    {
        var step = Steps.New();
        HubSpot.AnswersContactUpsert(step.IdempotencyKey, "4105");
        var messageId = Guid.NewGuid();
        var command = new UpsertCrmContact(step, "ada@example.com", null, Steps.NoValues);

        await Probe.SendAsync(Queue, command, messageId);
        await Probe.Succeeded(step);
        await Probe.SendAsync(Queue, command, messageId);

        await Eventually.Until(async () => await crm.Service.InboxReceiveCount(messageId) == 2, "the inbox received the message twice");
        Assert.Single(HubSpot.CallsWith(step.IdempotencyKey));
    }

    [Fact]
    public async Task The_same_step_under_another_message_id_is_answered_from_its_outcome_without_a_second_call()
    {
        var step = Steps.New();
        HubSpot.AnswersContactUpsert(step.IdempotencyKey, "4106");
        var command = new UpsertCrmContact(step, "ada@example.com", null, Steps.NoValues);

        await Probe.SendAsync(Queue, command);
        await Probe.Succeeded(step);
        await Probe.SendAsync(Queue, command);

        await Eventually.Until(() => Probe.Received<StepSucceeded>().Count(success => success.Step == step) == 2, "both commands were answered");
        Assert.All(Probe.Received<StepSucceeded>().Where(success => success.Step == step), success => Assert.Equal("4106", success.ExternalReference));
        Assert.Single(HubSpot.CallsWith(step.IdempotencyKey));
    }
}
