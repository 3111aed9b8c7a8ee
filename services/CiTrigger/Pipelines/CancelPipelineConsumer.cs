using Automation.CiTrigger.Persistence;
using Automation.Connectors;
using Automation.Contracts;

namespace Automation.CiTrigger.Pipelines;

/// <summary>Compensation of <c>ci.trigger_pipeline</c>: cancels the run. A run that had already finished counts as undone
/// (there is nothing left to stop). Without the run's id (the step's outcome is unknown, or the system never told the id)
/// the run is looked up by the step's key where the provider's API allows it; none found is nothing to undo.</summary>
public sealed class CancelPipelineConsumer(ConfiguredPipelines pipelines, StepOutcomes outcomes) : CompensationConsumer<CancelPipeline>(outcomes)
{
    protected override string? ReferenceOf(CancelPipeline command) => command.RunReference;

    protected override async Task<string?> UndoAsync(CancelPipeline command, string? reference, CancellationToken cancellationToken)
    {
        var (pipeline, provider) = pipelines.Get(command.Pipeline);
        var run = reference is null ? null : PipelineRun.Parse(reference);
        if (run is not null && run.Provider != pipeline.Provider)
        {
            throw new PermanentStepException(
                $"run {reference} is not a {pipeline.Provider} run, and pipeline '{command.Pipeline}' is configured for {pipeline.Provider}");
        }

        if (run?.Id is not null)
        {
            return await provider.CancelAsync(pipeline, run, command.Step.CompensationKey, cancellationToken);
        }

        var found = await provider.FindAsync(pipeline, command.Step.IdempotencyKey, command.Step.CompensationKey, cancellationToken);
        return found is null
            ? null
            : $"{await provider.CancelAsync(pipeline, found, command.Step.CompensationKey, cancellationToken)} (found by the step's key)";
    }
}

public sealed class CancelPipelineConsumerDefinition()
    : ConnectorConsumerDefinition<CancelPipelineConsumer, CiTriggerDbContext>(StepCommandQueues.CancelPipeline);
