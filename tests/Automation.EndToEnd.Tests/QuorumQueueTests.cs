using Automation.Contracts;
using Automation.EndToEnd.Tests.Infrastructure;
using Automation.Orchestrator.Runs;
using Automation.Testing;
using Automation.Testing.ExternalApis;
using static Automation.EndToEnd.Tests.Infrastructure.AutomationSystem;

namespace Automation.EndToEnd.Tests;

/// <summary>The whole system with every queue a quorum queue, as the production overlay deploys it.</summary>
public sealed class SystemOnQuorumQueues : AutomationSystem
{
    protected override bool QuorumQueues => true;
}

/// <summary>On quorum queues every message still reaches its consumer: step commands and the scheduler's commands are sent
/// to exchanges (a send to a queue: address would declare the queue again without its type, which RabbitMQ refuses).</summary>
public sealed class QuorumQueueTests(SystemOnQuorumQueues system) : IClassFixture<SystemOnQuorumQueues>
{
    [Fact]
    public async Task Every_services_queues_are_quorum_queues()
    {
        var queues = await system.VirtualHost.Queues();

        foreach (var queue in new[] { StepCommandQueues.LogCrmActivity, StepCommandQueues.TriggerPipeline, StepCommandQueues.SendNotification, "orchestrator-runs" })
        {
            Assert.Equal((queue, "quorum"), (queue, queues.Single(candidate => candidate.Name == queue).Type));
        }
    }

    [Fact]
    public async Task A_step_retried_through_the_scheduler_completes_its_run()
    {
        const string rule = "survey-completed";
        var eventId = Webhooks.NewEventId();
        var unavailable = FakeHubSpot.Error(503, "INTERNAL_ERROR", "Service Unavailable");
        system.HubSpot.Answers("POST", FakeHubSpot.UpsertPath, KeyOf(eventId, rule, 1), unavailable, unavailable, unavailable,
            FakeHubSpot.ContactUpserted("5801"));
        system.HubSpot.AnswersActivity(KeyOf(eventId, rule, 2), "5801", "7801");

        await system.Webhooks.AcceptedAsync(eventId, EventData.SurveyCompleted, EventData.Survey());

        // Three refusals outlast the immediate retries: the third attempt is a delayed redelivery by the scheduler.
        var run = await system.Runs.WaitFor(eventId, rule, "Completed");
        Assert.Equal((StepStatus.Succeeded, 4), (run.StepAt(1)!.Status, run.StepAt(1)!.Attempts));
    }

    [Fact]
    public async Task A_step_refused_for_good_is_compensated_and_the_failure_notice_sent()
    {
        var eventId = Webhooks.NewEventId();
        system.AnswerContentRefusedByCi(eventId);

        await system.Webhooks.AcceptedAsync(eventId, EventData.ContentStateChanged, EventData.Content());

        var run = await system.Runs.WaitFor(eventId, ContentPublished, "Compensated");
        Assert.Equal((CompensationStatus.Compensated, "note 7601 deleted"), (run.StepAt(1)!.Compensation, run.StepAt(1)!.CompensationOutcome));
        await Eventually.Until(async () => (await system.Runs.WaitFor(eventId, ContentPublished, "Compensated")).StepAt(StepIdentity.FailureNotice)?.Status
            == StepStatus.Succeeded, "the failure notice was sent");
    }
}
