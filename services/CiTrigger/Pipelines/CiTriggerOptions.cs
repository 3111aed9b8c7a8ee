using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace Automation.CiTrigger.Pipelines;

/// <summary>The pipelines CiTrigger can start, by the name a rule's <c>ci.trigger_pipeline</c> step gives
/// (<see cref="Automation.Contracts.TriggerPipeline.Pipeline"/>). Configuration section <c>CiTrigger</c>, one pipeline per
/// <c>CiTrigger:Pipelines:{name}</c>; validated at start, each failure naming its full key.</summary>
public sealed partial class CiTriggerOptions : IValidatableObject
{
    public const string SectionName = "CiTrigger";

    /// <summary>Pipeline name → where it runs and with which credentials. Names compare as configuration keys do (case aside).</summary>
    public Dictionary<string, PipelineOptions> Pipelines { get; } = new(StringComparer.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        Pipelines.SelectMany(pipeline => pipeline.Value.Problems()
            .Select(problem => new ValidationResult(problem.Message, [$"{nameof(Pipelines)}:{pipeline.Key}:{problem.Key}"])));

    /// <summary>A workflow input name as GitHub accepts it.</summary>
    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_-]*$", RegexOptions.CultureInvariant)]
    internal static partial Regex GitHubInputName();

    /// <summary>A CI/CD variable key as GitLab accepts it.</summary>
    [GeneratedRegex("^[A-Za-z0-9_]+$", RegexOptions.CultureInvariant)]
    internal static partial Regex GitLabVariableKey();
}

/// <summary>The CI/CD systems CiTrigger knows.</summary>
public enum CiProvider
{
    /// <summary>GitHub Actions (github.com or GitHub Enterprise Server): a <c>workflow_dispatch</c> of one workflow.</summary>
    GitHub,

    /// <summary>GitLab CI/CD (gitlab.com or self-managed): a pipeline started with a pipeline trigger token.</summary>
    GitLab,
}
