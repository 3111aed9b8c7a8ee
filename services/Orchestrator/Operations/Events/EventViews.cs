using System.Text.Json;
using Automation.Orchestrator.Runs;

namespace Automation.Orchestrator.Operations.Events;

/// <summary>A page of events, newest first; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record EventPageView(IReadOnlyList<EventSummaryView> Items, string? NextCursor);

/// <summary>An event in a search: what it is, and each of its runs' states.</summary>
public sealed record EventSummaryView(Guid Id, string Source, string EventId, string Type, int Version, DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt, string? TraceId, IReadOnlyList<EventRunView> Runs);

/// <param name="State">running, compensating, completed, compensated or failed.</param>
public sealed record EventRunView(Guid RunId, string Rule, int Run, string State, DateTime StartedAt, DateTime? FinishedAt);

/// <summary>An event's copy (its data as the orchestrator stored it), its trace, and every run with its steps.</summary>
public sealed record EventDetailView(Guid Id, string Source, string EventId, string Type, int Version, DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt, DateTimeOffset StoredAt, JsonElement Data, string? TraceId, string? TraceUrl, IReadOnlyList<RunDetailView> Runs);

/// <param name="FailedStep">The step that failed or timed out and made the run compensate.</param>
/// <param name="Failure">Why: the step's error, or that it timed out.</param>
/// <param name="TraceId">The trace the run started in: the webhook's for run 1, the replay request's for a replay.</param>
/// <param name="Steps">The rule's steps from 1, then the failure notice (step 0) once sent.</param>
public sealed record RunDetailView(Guid RunId, string Rule, int Run, string State, DateTime StartedAt, DateTime? FinishedAt,
    int? FailedStep, string? Failure, string? TraceId, string? TraceUrl, IReadOnlyList<StepView> Steps)
{
    public static RunDetailView Of(RunState run, TraceLinks traces) => new(run.CorrelationId, run.Rule, run.Run,
        RunStates.ToApi(run.CurrentState), run.StartedAt, run.FinishedAt, run.FailedStep, run.Failure, run.TraceId, traces.For(run.TraceId),
        [.. run.Steps.OrderBy(step => step.Plan.Number == 0).ThenBy(step => step.Plan.Number).Select(StepView.Of)]);
}

/// <param name="Status">pending, running, succeeded, failed or unknown (timed out).</param>
/// <param name="Attempts">Deliveries of the command it took, as the connector counted them (known on success).</param>
/// <param name="ExternalReference">The effect in the external system: a note id, a pipeline run, a message id.</param>
/// <param name="Late">Its outcome arrived after the run had moved on.</param>
/// <param name="Compensation">null, not_compensable, compensating, compensated or failed.</param>
public sealed record StepView(int Number, string Kind, string Status, int? Attempts, string? ExternalReference, string? Error,
    DateTime? StartedAt, DateTime? FinishedAt, bool Late, string? Compensation, string? CompensationOutcome, string? CompensationError,
    DateTime? CompensatedAt)
{
    public static StepView Of(StepRecord step) => new(step.Plan.Number, step.Plan.Kind, step.Status, step.Attempts, step.ExternalReference,
        step.Error, step.StartedAt, step.FinishedAt, step.Late, step.Compensation, step.CompensationOutcome, step.CompensationError,
        step.CompensatedAt);
}
