using System.Globalization;
using Automation.Connectors;

namespace Automation.CiTrigger.Pipelines;

/// <summary>A run CiTrigger started, as its step's external reference: <c>github:{owner}/{repo}:{run_id}</c> or
/// <c>gitlab:{project}:{pipeline_id}</c> — enough to cancel it even if the pipeline's configuration later points
/// elsewhere. <see cref="Id"/> is null (written <c>unknown</c>) when the system started the run without telling its id
/// (a GitHub Enterprise Server answering the dispatch with 204): a compensation then finds the run by the step's key.</summary>
/// <param name="Location">GitHub: <c>{owner}/{repo}</c>; GitLab: the project's id or path.</param>
public sealed record PipelineRun(CiProvider Provider, string Location, long? Id)
{
    private const string UnknownId = "unknown";

    public override string ToString() =>
        $"{Prefix(Provider)}:{Location}:{Id?.ToString(CultureInfo.InvariantCulture) ?? UnknownId}";

    /// <summary>Reads a reference this service wrote; anything else is a permanent failure (no retry makes it readable).</summary>
    public static PipelineRun Parse(string reference)
    {
        var first = reference.IndexOf(':', StringComparison.Ordinal);
        var last = reference.LastIndexOf(':');
        var provider = first > 0 ? ProviderOf(reference[..first]) : null;
        var location = first < last ? reference[(first + 1)..last] : "";
        var id = last >= 0 ? reference[(last + 1)..] : "";
        if (provider is null || location.Length == 0)
        {
            throw new PermanentStepException($"'{reference}' is not a pipeline run reference of CiTrigger (github:owner/repo:id or gitlab:project:id)");
        }

        if (id == UnknownId)
        {
            return new PipelineRun(provider.Value, location, null);
        }

        return long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var runId) && runId > 0
            ? new PipelineRun(provider.Value, location, runId)
            : throw new PermanentStepException($"'{reference}' is not a pipeline run reference of CiTrigger: '{id}' is not a run id");
    }

    private static string Prefix(CiProvider provider) => provider == CiProvider.GitHub ? "github" : "gitlab";

    private static CiProvider? ProviderOf(string prefix) => prefix switch
    {
        "github" => CiProvider.GitHub,
        "gitlab" => CiProvider.GitLab,
        _ => null,
    };
}
