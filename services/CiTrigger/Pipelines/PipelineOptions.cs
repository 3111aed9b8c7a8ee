namespace Automation.CiTrigger.Pipelines;

/// <summary>One pipeline: its provider, where it runs and the credentials, at <c>CiTrigger:Pipelines:{name}</c>. Tokens are
/// only ever sent to <see cref="BaseUrl"/>; they never appear in a message, log or trace.</summary>
public sealed class PipelineOptions
{
    public const string DefaultGitHubApiVersion = "2022-11-28";
    public const string DefaultKeyVariable = "AUTOMATION_IDEMPOTENCY_KEY";

    /// <summary><c>GitHub</c> or <c>GitLab</c>.</summary>
    public CiProvider? Provider { get; set; }

    /// <summary>The API's root. GitHub: <c>https://api.github.com/</c> (default) or a GitHub Enterprise Server's
    /// <c>https://HOST/api/v3/</c>; GitLab: the instance, <c>https://gitlab.com/</c> (default) — <c>api/v4/</c> is added.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>The branch or tag the run is for.</summary>
    public string? Ref { get; set; }

    /// <summary>GitHub: the repository's owner (user or organisation).</summary>
    public string? Owner { get; set; }

    /// <summary>GitHub: the repository's name.</summary>
    public string? Repo { get; set; }

    /// <summary>GitHub: the workflow's file name (e.g. <c>publish.yml</c>) or id; it must declare <c>on: workflow_dispatch</c>.</summary>
    public string? Workflow { get; set; }

    /// <summary>GitHub: a fine-grained personal access token (or GitHub App token) with the repository permission
    /// <c>Actions: write</c> — it dispatches the workflow, lists its runs and cancels them.</summary>
    public string? Token { get; set; }

    /// <summary>GitHub: the workflow input that receives the step's idempotency key, or none. GitHub refuses an input the
    /// workflow does not declare (422), so set it only when the workflow declares it; showing it in the workflow's
    /// <c>run-name</c> lets a compensation find a run whose id is unknown.</summary>
    public string? KeyInput { get; set; }

    /// <summary>GitHub: the <c>X-GitHub-Api-Version</c> header. Default 2022-11-28, which github.com and every supported
    /// GitHub Enterprise Server accept.</summary>
    public string ApiVersion { get; set; } = DefaultGitHubApiVersion;

    /// <summary>GitHub: ask the dispatch to answer with the run's id (<c>return_run_details</c>, github.com since 2026-02).
    /// Default true; a server that answers 204 anyway is handled (the run is then found by the key when undone).</summary>
    public bool ReturnRunDetails { get; set; } = true;

    /// <summary>GitLab: the project's numeric id or its full path (<c>group/project</c>).</summary>
    public string? Project { get; set; }

    /// <summary>GitLab: the project's pipeline trigger token (<c>glptt-…</c>). It can only start pipelines.</summary>
    public string? TriggerToken { get; set; }

    /// <summary>GitLab: a project, group or personal access token with the <c>api</c> scope and at least the Developer
    /// role, sent as <c>PRIVATE-TOKEN</c>: it cancels pipelines and reads them (a trigger token cannot).</summary>
    public string? ApiToken { get; set; }

    /// <summary>GitLab: the pipeline variable that receives the step's idempotency key. Default
    /// <c>AUTOMATION_IDEMPOTENCY_KEY</c>.</summary>
    public string KeyVariable { get; set; } = DefaultKeyVariable;

    /// <summary><see cref="BaseUrl"/> (or the provider's public default) ending with a slash, so relative paths keep its path.</summary>
    public Uri ApiRoot
    {
        get
        {
            var root = BaseUrl ?? new Uri(Provider == CiProvider.GitLab ? "https://gitlab.com/" : "https://api.github.com/");
            return root.AbsoluteUri.EndsWith('/') ? root : new Uri(root.AbsoluteUri + "/");
        }
    }

    /// <summary>What is wrong with this pipeline's settings: (property, reason) pairs; none when it is usable.</summary>
    public IEnumerable<(string Key, string Message)> Problems()
    {
        if (BaseUrl is not null && (!BaseUrl.IsAbsoluteUri || (BaseUrl.Scheme != Uri.UriSchemeHttps && BaseUrl.Scheme != Uri.UriSchemeHttp)))
        {
            yield return (nameof(BaseUrl), "must be an absolute http or https address");
        }

        var required = Provider switch
        {
            CiProvider.GitHub => new[] { (nameof(Ref), Ref), (nameof(Owner), Owner), (nameof(Repo), Repo), (nameof(Workflow), Workflow),
                (nameof(Token), Token), (nameof(ApiVersion), ApiVersion) },
            CiProvider.GitLab => [(nameof(Ref), Ref), (nameof(Project), Project), (nameof(TriggerToken), TriggerToken),
                (nameof(ApiToken), ApiToken), (nameof(KeyVariable), KeyVariable)],
            _ => [],
        };
        if (Provider is null)
        {
            yield return (nameof(Provider), $"is required: {CiProvider.GitHub} or {CiProvider.GitLab}");
        }

        foreach (var (key, value) in required.Where(setting => string.IsNullOrWhiteSpace(setting.Item2)))
        {
            yield return (key, $"is required for a {Provider} pipeline");
        }

        if (Provider == CiProvider.GitHub && KeyInput is not null && !CiTriggerOptions.GitHubInputName().IsMatch(KeyInput))
        {
            yield return (nameof(KeyInput), "must be a workflow input name: a letter or _, then letters, digits, - or _");
        }

        if (Provider == CiProvider.GitLab && !string.IsNullOrWhiteSpace(KeyVariable) && !CiTriggerOptions.GitLabVariableKey().IsMatch(KeyVariable))
        {
            yield return (nameof(KeyVariable), "must be a CI/CD variable key: letters, digits and _ only");
        }
    }
}
