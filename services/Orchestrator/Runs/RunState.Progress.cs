using System.Globalization;
using Automation.Contracts;

namespace Automation.Orchestrator.Runs;

/// <summary>What each message changes in a run. Every change first checks the step's identity and status, so a late or
/// repeated message never moves the run twice.</summary>
public sealed partial class RunState
{
    public void Start(StartRun start, DateTime now, string? traceId)
    {
        EventRecordId = start.EventRecordId;
        Source = start.Source;
        EventId = start.EventId;
        EventType = start.EventType;
        Rule = start.Rule;
        Run = start.Run;
        OccurredAt = start.OccurredAt.UtcDateTime;
        StartedAt = now;
        TraceId = traceId;
        Steps = [.. start.Steps.Select(plan => new StepRecord { Plan = plan })];
        Values = new Dictionary<string, string>(start.Values, StringComparer.Ordinal);
    }

    public StepIdentity IdentityOf(int step) => new(CorrelationId, Source, EventId, Rule, Run, step);

    /// <summary>The step of this run a message names, or null when the message names another run.</summary>
    public StepRecord? StepOf(StepIdentity step) => step == IdentityOf(step.Step) ? StepAt(step.Step) : null;

    public StepRecord? StepAt(int number) => Steps.Find(step => step.Plan.Number == number);

    public bool IsAwaiting(StepIdentity step) => step.Step == CurrentStep && StepOf(step)?.Status == StepStatus.Running;

    public bool IsAwaitingCompensation(StepIdentity step) =>
        step.Step == CompensatingStep && StepOf(step)?.Compensation == CompensationStatus.Compensating;

    public bool IsAwaiting(StepTimedOut timeout) =>
        timeout.Compensation ? timeout.Step == CompensatingStep && StepAt(timeout.Step)?.Compensation == CompensationStatus.Compensating
            : timeout.Step == CurrentStep && StepAt(timeout.Step)?.Status == StepStatus.Running;

    public bool HasNextStep => StepAt(CurrentStep + 1) is not null;

    public bool AnyCompensationFailed => Steps.Any(step => step.Compensation == CompensationStatus.Failed);

    /// <summary>Nothing is left to undo or waiting to be: a Failed run whose failed compensations were redone.</summary>
    public bool IsWhole => !AnyCompensationFailed && Steps.All(step => step.Compensation != CompensationStatus.Compensating);

    public StepRecord StartNextStep(DateTime now)
    {
        CurrentStep++;
        var step = StepAt(CurrentStep)!;
        step.Status = StepStatus.Running;
        step.StartedAt = now;
        return step;
    }

    public StepTimedOut TimeoutOfCurrentStep() => new(CorrelationId, CurrentStep, Compensation: false);

    public StepTimedOut TimeoutOfCompensation() => new(CorrelationId, CompensatingStep, Compensation: true);

    public void RecordSucceeded(StepSucceeded succeeded)
    {
        var step = StepOf(succeeded.Step)!;
        step.Late = step.Status is StepStatus.Unknown or StepStatus.Failed;
        step.Status = StepStatus.Succeeded;
        step.ExternalReference = succeeded.ExternalReference;
        step.Attempts = succeeded.Attempts;
        step.Error = step.Late ? $"{step.Error} (then succeeded late)" : null;
        step.FinishedAt = succeeded.CompletedAt.UtcDateTime;
    }

    public void RecordFailed(StepIdentity identity, string error, DateTime now)
    {
        var step = StepOf(identity)!;
        step.Status = StepStatus.Failed;
        step.Error = error;
        step.FinishedAt = now;
        if (identity.Step != StepIdentity.FailureNotice && FailedStep is null)
        {
            FailedStep = identity.Step;
            Failure = $"step {identity.Step} ({step.Plan.Kind}) failed: {error}";
        }
    }

    public void RecordUnknown(TimeSpan timeout, DateTime now)
    {
        var step = StepAt(CurrentStep)!;
        step.Status = StepStatus.Unknown;
        step.Error = $"no answer within {timeout}: outcome unknown";
        step.FinishedAt = now;
        FailedStep = CurrentStep;
        Failure = $"step {CurrentStep} ({step.Plan.Kind}) timed out after {timeout}: outcome unknown";
    }

    /// <summary>A success for a step that is no longer awaited (the run compensates or has finished), or for the failure
    /// notice. It is recorded; true means its effect must be undone now by a compensation naming it. A repeat of a known
    /// success changes nothing.</summary>
    public bool RecordLateOutcome(StepSucceeded succeeded)
    {
        var step = StepOf(succeeded.Step);
        if (step is null || step.Status is StepStatus.Succeeded or StepStatus.Pending)
        {
            return false;
        }

        RecordSucceeded(succeeded);
        if (step.Plan.Number == StepIdentity.FailureNotice)
        {
            return false;
        }

        if (!StepCommands.IsCompensable(step.Plan.Kind))
        {
            step.Compensation = CompensationStatus.NotCompensable;
            return false;
        }

        if (step.Compensation == CompensationStatus.Compensating)
        {
            step.CompensateAgain = true;
            return false;
        }

        // The reverse walk has yet to reach it: it will compensate it, with the reference now known.
        return !(step.Compensation is null && CompensatingStep > step.Plan.Number);
    }

    /// <summary>A fault for a step that is no longer awaited: recorded only where it settles an unknown outcome (or the
    /// failure notice's).</summary>
    public void RecordLateFailure(StepIdentity identity, string error, DateTime now)
    {
        if (StepOf(identity) is { Status: StepStatus.Unknown or StepStatus.Running } step)
        {
            step.Status = StepStatus.Failed;
            step.Error = step.Error is null ? error : $"{step.Error}; then failed: {error}";
            step.FinishedAt = now;
        }
    }

    /// <summary>Walks back from the step below the last one compensated (or from the current step, at the start) to the
    /// next step that may have had an effect: one that can be undone becomes the awaited compensation; one that cannot
    /// is recorded as not compensable. A step that failed counts: a connector that gave up on calls whose answers never
    /// came, or came unreadable, cannot say whether the system acted, so its compensation looks by the step's key.
    /// <see cref="CompensatingStep"/> is 0 when nothing is left.</summary>
    public void CompensateNext()
    {
        var below = CompensatingStep > 0 ? CompensatingStep : CurrentStep + 1;
        CompensatingStep = 0;
        foreach (var step in Steps.Where(step => step.Plan.Number > 0 && step.Plan.Number < below).OrderByDescending(step => step.Plan.Number))
        {
            if (step.Status is not (StepStatus.Succeeded or StepStatus.Unknown or StepStatus.Failed) || step.Compensation is not null)
            {
                continue;
            }

            if (!StepCommands.IsCompensable(step.Plan.Kind))
            {
                step.Compensation = CompensationStatus.NotCompensable;
                continue;
            }

            MarkCompensating(step);
            CompensatingStep = step.Plan.Number;
            return;
        }
    }

    public void RecordCompensated(StepCompensated compensated)
    {
        if (StepOf(compensated.Step) is { Compensation: CompensationStatus.Compensating or CompensationStatus.Failed } step)
        {
            step.Compensation = CompensationStatus.Compensated;
            step.CompensationOutcome = compensated.Outcome;
            step.CompensationError = null;
            step.CompensatedAt = compensated.CompletedAt.UtcDateTime;
        }
    }

    public void RecordCompensationFailed(StepIdentity identity, string error, DateTime now)
    {
        if (StepOf(identity) is { Compensation: CompensationStatus.Compensating } step)
        {
            step.Compensation = CompensationStatus.Failed;
            step.CompensationError = error;
            step.CompensatedAt = now;
        }
    }

    /// <summary>After a compensation answered (or gave up): the step to compensate again, naming the effect a late success
    /// reported meanwhile; null when there is none.</summary>
    public StepRecord? TakeRepeatedCompensation(int number)
    {
        if (StepAt(number) is not { CompensateAgain: true } step || step.Compensation == CompensationStatus.Compensating)
        {
            return null;
        }

        step.CompensateAgain = false;
        MarkCompensating(step);
        return step;
    }

    public static StepRecord MarkCompensating(StepRecord step)
    {
        step.Compensation = CompensationStatus.Compensating;
        step.CompensationsSent++;
        step.CompensatedAt = null;
        step.CompensationError = null;
        return step;
    }

    public void Finish(DateTime now) => FinishedAt = now;

    /// <summary>Adds the failure notice (step 0) to the steps, with the values that say what failed.</summary>
    public StepRecord AddFailureNotice(string channel, string template, string outcome, DateTime now)
    {
        var failed = FailedStep is { } number ? StepAt(number) : null;
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["run.id"] = CorrelationId.ToString(),
            ["run.state"] = outcome,
            ["run.steps"] = string.Join("; ", Steps.Select(Summary)),
            ["failure.step"] = FailedStep?.ToString(CultureInfo.InvariantCulture) ?? "",
            ["failure.kind"] = failed?.Plan.Kind ?? "",
            ["failure.status"] = failed?.Status ?? "",
            ["failure.error"] = failed?.Error ?? "",
        };
        var notice = new StepRecord
        {
            Plan = new PlannedStep(StepIdentity.FailureNotice, StepKinds.Notify, Template: template, Channel: channel, Parameters: values),
            Status = StepStatus.Running,
            StartedAt = now,
        };
        Steps.Add(notice);
        return notice;
    }

    private static string Summary(StepRecord step) =>
        string.Create(CultureInfo.InvariantCulture, $"{step.Plan.Number} {step.Plan.Kind}: {step.Status}")
        + (step.Compensation is null ? "" : $", {step.Compensation.Replace('_', ' ')}");
}
