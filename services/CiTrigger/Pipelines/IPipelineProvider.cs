using Automation.Contracts;

namespace Automation.CiTrigger.Pipelines;

/// <summary>What CiTrigger does with one CI/CD system. Every call carries a key (<see cref="Automation.Connectors.ExternalCall.IdempotencyKeyHeader"/>)
/// and fails as <see cref="Automation.Connectors.TransientStepException"/> or <see cref="Automation.Connectors.PermanentStepException"/>.</summary>
public interface IPipelineProvider
{
    /// <summary>Starts a run of <paramref name="pipeline"/> with the command's variables and the step's idempotency key.</summary>
    Task<PipelineRun> TriggerAsync(PipelineOptions pipeline, TriggerPipeline command, CancellationToken cancellationToken);

    /// <summary>Cancels <paramref name="run"/>. A run that has already finished is not a failure: there is nothing left to undo.</summary>
    /// <returns>What happened, for operators.</returns>
    Task<string> CancelAsync(PipelineOptions pipeline, PipelineRun run, string callKey, CancellationToken cancellationToken);

    /// <summary>The run <paramref name="pipeline"/> started for the step whose key is <paramref name="stepKey"/>, looked up
    /// through the system's API where it can tell; null when no such run is found.</summary>
    Task<PipelineRun?> FindAsync(PipelineOptions pipeline, string stepKey, string callKey, CancellationToken cancellationToken);
}
