using System.Diagnostics;
using System.Diagnostics.Metrics;
using Automation.ServiceDefaults;

namespace Automation.Connectors;

/// <summary>The connectors' metrics (meter <c>Automation.Connectors</c>): each attempt at a step, by step (the command, e.g.
/// <c>LogCrmActivity</c>) and connector (the service, e.g. <c>crm-sync</c>), and each compensation.</summary>
public static class StepMetrics
{
    public const string Name = TelemetryExtensions.AutomationInstrumentationPrefix + "Connectors";

    private static readonly Meter Meter = new(Name);

    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("automation.step.duration", "s",
        "One attempt at a step in a connector, from its command's consumption to its outcome (replays of a known outcome included).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });

    private static readonly Counter<long> Failures = Meter.CreateCounter<long>("automation.step.failures", "{attempt}",
        "Attempts at a step that failed, by kind: transient (retried), permanent (the run compensates) or unexpected.");

    private static readonly Counter<long> Compensations = Meter.CreateCounter<long>("automation.step.compensations", "{compensation}",
        "Compensations of a step, by outcome: undone, nothing_to_undo or failed.");

    /// <summary>Measures one attempt; the caller disposes it when the attempt ends and says how with the methods below.</summary>
    public static Attempt Start(Type command, Type consumer) => new(command.Name, TelemetryExtensions.ServiceName(consumer.Assembly.GetName().Name!));

    public sealed class Attempt(string step, string connector)
    {
        private readonly long _started = Stopwatch.GetTimestamp();

        public void Succeeded() => Duration.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds, Tags("succeeded"));

        public void Failed(Exception exception)
        {
            var kind = exception switch
            {
                TransientStepException => "transient",
                PermanentStepException => "permanent",
                _ => "unexpected",
            };
            Duration.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds, Tags("failed"));
            Failures.Add(1, new("step", step), new("connector", connector), new KeyValuePair<string, object?>("kind", kind));
        }

        public void Compensated(string outcome) =>
            Compensations.Add(1, new("step", step), new("connector", connector), new KeyValuePair<string, object?>("outcome", outcome));

        private TagList Tags(string outcome) => new() { { "step", step }, { "connector", connector }, { "outcome", outcome } };
    }
}
