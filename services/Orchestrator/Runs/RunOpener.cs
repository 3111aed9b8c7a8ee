using System.Diagnostics;
using Automation.Contracts;
using Automation.Orchestrator.Rules;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Automation.Orchestrator.Runs;

/// <summary>How every run begins, whichever way it is started: its plan recorded, its first step's command sent and that
/// step's timeout scheduled to the runs' queue, all through the consume context, so behind the inbox they commit with the
/// run's row. The event consumer opens run 1 of each rule an event matches in the transaction that stores the event (no
/// <see cref="StartRun"/> message, broker hop and transaction per run); the state machine opens the run a
/// <see cref="StartRun"/> asks for (an operator's replay).</summary>
public sealed partial class RunOpener(IOptions<AutomationOptions> options, TimeProvider clock, ILogger<RunOpener> logger)
{
    /// <summary>Where a run's step timeouts are delivered: the exchange of the runs' queue (what the state machine's own
    /// schedules address as its input), not <c>queue:</c>, which would re-declare a quorum queue.</summary>
    private static readonly Uri RunsAddress = StepCommandQueues.Address(RunStateDefinition.Queue);

    /// <summary>A new run, open and Running, for the caller to add to the scope's DbContext (behind the inbox, its
    /// <c>SaveChanges</c> inserts it).</summary>
    public async Task<RunState> OpenNewAsync(ConsumeContext context, StartRun start)
    {
        var run = new RunState { CorrelationId = start.RunId, CurrentState = nameof(RunStateMachine.Running) };
        await OpenAsync(context, run, start);
        RunMetrics.CountOpenedOutsideTheStateMachine();
        return run;
    }

    public async Task OpenAsync(ConsumeContext context, RunState run, StartRun start)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        run.Start(start, now, Activity.Current?.TraceId.ToHexString());
        LogStarted(run.Rule, run.Run, run.EventType, run.EventId, run.Source);
        var step = run.StartNextStep(now);
        await StepCommands.SendAsync(context, StepCommands.Do(run, step));
        var timeout = await context.GetPayload<MessageSchedulerContext>()
            .ScheduleSend(RunsAddress, now + options.Value.StepTimeout, run.TimeoutOfCurrentStep(), context.CancellationToken);
        run.StepTimeoutTokenId = timeout.TokenId;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {Run} of rule {Rule} started for {Type} event {EventId} from {Source}")]
    private partial void LogStarted(string rule, int run, string type, string eventId, string source);
}
