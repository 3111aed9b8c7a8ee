using Automation.Connectors;
using Automation.EndToEnd.Tests.Infrastructure;
using Automation.Orchestrator.Runs;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using static Automation.EndToEnd.Tests.Infrastructure.AutomationSystem;
using static Automation.Testing.ExternalApis.SlackWebhookStubs;

namespace Automation.EndToEnd.Tests.Telemetry;

/// <summary>Alone in the process while it runs: the meters are the process's, so no other class's runs may count.</summary>
[CollectionDefinition(nameof(RunMetricsTests), DisableParallelization = true)]
public sealed class MeasuredAlone;

/// <summary>A run's steps, failures, compensations and states are measured by step and connector.</summary>
[Collection(nameof(RunMetricsTests))]
public sealed class RunMetricsTests(AutomationSystem system) : IClassFixture<AutomationSystem>
{
    [Fact]
    public async Task A_step_refused_for_good_counts_its_failure_each_compensation_and_the_states_the_run_went_through()
    {
        using var durations = new MetricCollector<double>(null, StepMetrics.Name, "automation.step.duration");
        using var failures = new MetricCollector<long>(null, StepMetrics.Name, "automation.step.failures");
        using var compensations = new MetricCollector<long>(null, StepMetrics.Name, "automation.step.compensations");
        using var states = new MetricCollector<long>(null, RunMetrics.Name, "automation.runs.entered");
        const string rule = ContentPublished;
        var eventId = Webhooks.NewEventId();
        system.AnswerContentRefusedByCi(eventId);

        await system.Webhooks.AcceptedAsync(eventId, EventData.ContentStateChanged, EventData.Content());
        await system.Runs.WaitFor(eventId, rule, "Compensated");
        await Eventually.Until(() => states.GetMeasurementSnapshot().Any(m => m.Tags["state"] as string == "Compensated"), "the run's last state is counted");

        Assert.Equal([("LogCrmActivity", "crm-sync", "succeeded"), ("TriggerPipeline", "ci-trigger", "failed")],
            durations.GetMeasurementSnapshot().Select(m => (Tag(m.Tags, "step"), Tag(m.Tags, "connector"), Tag(m.Tags, "outcome")))
                .Where(measured => measured.Item1 is "LogCrmActivity" or "TriggerPipeline").Order());
        var failure = Assert.Single(failures.GetMeasurementSnapshot());
        Assert.Equal(("TriggerPipeline", "ci-trigger", "permanent"), (Tag(failure.Tags, "step"), Tag(failure.Tags, "connector"), Tag(failure.Tags, "kind")));
        Assert.Equal([("CancelPipeline", "ci-trigger", "nothing_to_undo"), ("DeleteCrmNote", "crm-sync", "undone")],
            compensations.GetMeasurementSnapshot().Select(m => (Tag(m.Tags, "step"), Tag(m.Tags, "connector"), Tag(m.Tags, "outcome"))).Order());
        Assert.Equal([("Running", "Initial"), ("Compensating", "Running"), ("Compensated", "Compensating")],
            states.GetMeasurementSnapshot().Select(m => (Tag(m.Tags, "state"), Tag(m.Tags, "from"))));
    }

    private static string? Tag(IReadOnlyDictionary<string, object?> tags, string key) => tags.GetValueOrDefault(key) as string;
}
