using System.Diagnostics.Metrics;
using Automation.ServiceDefaults;
using MassTransit;

namespace Automation.Orchestrator.Runs;

/// <summary>The runs' counter (meter <c>Automation.Orchestrator</c>): every run entering a state, counted as it happens;
/// compensations started are <c>entered{state="Compensating"}</c>. How many runs are in each state now is
/// <see cref="RunsByState"/>'s gauge.</summary>
public sealed class RunMetrics : IStateObserver<RunState>
{
    public const string Name = TelemetryExtensions.AutomationInstrumentationPrefix + "Orchestrator";

    public static readonly RunMetrics Observer = new();

    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> Entered = Meter.CreateCounter<long>("automation.runs.entered", "{run}",
        "Runs entering a state (Running, Completed, Compensating, Compensated, Failed), by the state they left.");

    private RunMetrics()
    {
    }

    /// <summary>Counts a run opened by <see cref="RunOpener.OpenNewAsync"/>, which enters Running without the state machine
    /// (so without this observer), as the state machine's own start would be counted.</summary>
    public static void CountOpenedOutsideTheStateMachine() =>
        Entered.Add(1, new KeyValuePair<string, object?>("state", nameof(RunStateMachine.Running)), new KeyValuePair<string, object?>("from", "Initial"));

    public Task StateChanged(BehaviorContext<RunState> context, State currentState, State? previousState)
    {
        // A new run is first put in Initial, from no state: not a state it enters.
        if (previousState is not null)
        {
            Entered.Add(1, new KeyValuePair<string, object?>("state", currentState.Name), new KeyValuePair<string, object?>("from", previousState.Name));
        }

        return Task.CompletedTask;
    }
}
