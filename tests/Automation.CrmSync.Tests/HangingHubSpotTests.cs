using Automation.Contracts;
using Automation.CrmSync.Tests.Infrastructure;
using Automation.Testing;

namespace Automation.CrmSync.Tests;

/// <summary>A HubSpot that never answers: each call times out (one second here), counts as transient, and the step faults
/// once its retries are spent.</summary>
public sealed class HangingHubSpotTests(CrmSyncWithImpatientCalls crm) : IClassFixture<CrmSyncWithImpatientCalls>
{
    [Fact]
    public async Task Each_call_times_out_and_the_step_faults_when_the_retries_are_spent()
    {
        var step = Steps.New();
        crm.HubSpot.Answers("POST", FakeHubSpot.UpsertPath, step.IdempotencyKey,
            FakeHubSpot.ContactUpserted("5203") with { Delay = TimeSpan.FromSeconds(2) });

        await crm.Service.Probe.SendAsync(StepCommandQueues.UpsertCrmContact,
            new UpsertCrmContact(step, "ada@example.com", "Ada Lovelace", Steps.NoValues));

        var fault = await crm.Service.Probe.Faulted<UpsertCrmContact>(step);
        Assert.Contains("HubSpot contact upsert: no answer within 1 s", Assert.Single(fault.Exceptions).Message, StringComparison.Ordinal);
        // Three deliveries (the first, then two redeliveries: the test service's retry settings), each with one immediate
        // retry; the fake records a call once its (late) answer is written.
        await Eventually.Until(() => crm.HubSpot.CallsWith(step.IdempotencyKey).Count >= 6, "HubSpot recorded the six calls");
        Assert.Equal(6, crm.HubSpot.CallsWith(step.IdempotencyKey).Count);
    }
}
