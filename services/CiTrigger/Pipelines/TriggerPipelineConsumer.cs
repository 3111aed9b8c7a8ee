using Automation.CiTrigger.Persistence;
using Automation.Connectors;
using Automation.Contracts;

namespace Automation.CiTrigger.Pipelines;

/// <summary><c>ci.trigger_pipeline</c>: starts a run of the configured pipeline with the command's variables and the step's
/// idempotency key; answers with the run's reference (<see cref="PipelineRun"/>), needed to cancel it.</summary>
public sealed class TriggerPipelineConsumer(ConfiguredPipelines pipelines, StepOutcomes outcomes) : StepConsumer<TriggerPipeline>(outcomes)
{
    protected override async Task<string?> CallAsync(TriggerPipeline command, CancellationToken cancellationToken)
    {
        var (pipeline, provider) = pipelines.Get(command.Pipeline);
        return (await provider.TriggerAsync(pipeline, command, cancellationToken)).ToString();
    }
}

public sealed class TriggerPipelineConsumerDefinition()
    : ConnectorConsumerDefinition<TriggerPipelineConsumer, CiTriggerDbContext>(StepCommandQueues.TriggerPipeline);
