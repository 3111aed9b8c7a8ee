using Automation.Connectors;
using Microsoft.Extensions.Options;

namespace Automation.CiTrigger.Pipelines;

/// <summary>The configured pipelines, looked up by a command's name, and the client of each one's provider.</summary>
public sealed class ConfiguredPipelines(IOptions<CiTriggerOptions> options, GitHub.GitHubActionsClient gitHub, GitLab.GitLabPipelinesClient gitLab)
{
    /// <summary>The pipeline named <paramref name="name"/>; a name missing from the configuration is a permanent failure
    /// (the same command would fail again).</summary>
    public (PipelineOptions Options, IPipelineProvider Provider) Get(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new PermanentStepException("the command names no pipeline");
        }

        if (!options.Value.Pipelines.TryGetValue(name, out var pipeline))
        {
            throw new PermanentStepException(
                $"pipeline '{name}' is not configured: CiTrigger has no {CiTriggerOptions.SectionName}:{nameof(CiTriggerOptions.Pipelines)}:{name}");
        }

        return (pipeline, pipeline.Provider == CiProvider.GitLab ? gitLab : gitHub);
    }
}
