using Automation.EndToEnd.Tests.Infrastructure;
using Automation.Orchestrator.Runs;
using static Automation.EndToEnd.Tests.Infrastructure.AutomationSystem;

namespace Automation.EndToEnd.Tests;

/// <summary>The system as shipped orders its patience: a connector gives up on a hanging system (its retries exhausted,
/// each call timed out) well before the run's step timeout. Here a call times out after <see cref="CallTimeoutValue"/>.</summary>
public sealed class SystemWithImpatientConnectors : AutomationSystem
{
    public static readonly TimeSpan CallTimeoutValue = TimeSpan.FromSeconds(1);

    protected override TimeSpan CallTimeout => CallTimeoutValue;
}

/// <summary>A connector that gives up on a hanging system faults its step: the step's outcome is still unknown (a call
/// whose answer never came may have had its effect), so the run undoes it too, by the step's key, with what came before.</summary>
public sealed class ConnectorGivesUpTests(SystemWithImpatientConnectors system) : IClassFixture<SystemWithImpatientConnectors>
{
    private const string Rule = Infrastructure.AutomationSystem.ContentPublished;

    [Fact]
    public async Task When_CI_hangs_until_CiTrigger_gives_up_the_run_compensates_and_cancels_the_pipeline_an_unanswered_call_started()
    {
        var eventId = Webhooks.NewEventId();
        var (note, pipeline) = (KeyOf(eventId, Rule, 1), KeyOf(eventId, Rule, 2));
        system.HubSpot.AnswersActivity(note, "5001", "8301");
        system.HubSpot.AnswersNoteDeletion($"{note}:compensate", "8301");
        system.Ci.Answer("POST", FakeCi.GitHubDispatchPath, pipeline,
            FakeCi.RunDetails(9601) with { Delay = SystemWithImpatientConnectors.CallTimeoutValue * 3 });
        // GitHub did start a run for one of the calls it never answered in time: its title shows the step's key.
        system.Ci.Answer("GET", FakeCi.GitHubRunsPath, $"{pipeline}:compensate", FakeCi.GitHubRuns((9601, $"Publish {pipeline}", "queued")));
        system.Ci.Answer("POST", FakeCi.GitHubCancelPath(9601), $"{pipeline}:compensate", new ApiReply(202, "{}"));

        await system.Webhooks.AcceptedAsync(eventId, EventData.ContentStateChanged, EventData.Content());

        var run = await system.Runs.WaitFor(eventId, Rule, "Compensated");
        // WireMock logs a call when it has answered: each of these answers after its delay, long after the client gave up.
        await Eventually.Until(() => system.Ci.CallsWith(pipeline).Count == ServiceSettings.CallsUntilFault,
            $"GitHub logged the {ServiceSettings.CallsUntilFault} dispatches");
        var step = run.StepAt(2)!;
        Assert.Equal(StepStatus.Failed, step.Status);
        Assert.Contains("GitHub workflow dispatch", step.Error, StringComparison.Ordinal);
        Assert.Equal((CompensationStatus.Compensated, "workflow run 9601 of example/website cancelled (found by the step's key)"),
            (step.Compensation, step.CompensationOutcome));
        Assert.Equal("note 8301 deleted", run.StepAt(1)!.CompensationOutcome);
        Assert.Single(system.Ci.CallsWith($"{pipeline}:compensate"), call => call.Method == "POST");
    }
}
