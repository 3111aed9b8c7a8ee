using Automation.Contracts;

namespace Automation.CiTrigger.Tests.Infrastructure;

/// <summary>The pipelines the tests configure (<see cref="CiTriggerService"/>), and step identities no other test shares.</summary>
public static class TestPipelines
{
    /// <summary>GitHub Actions, the key passed as the input <see cref="KeyInput"/>; the dispatch answers with the run.</summary>
    public const string GitHub = "website-publish";

    /// <summary>A GitHub Enterprise Server (base URL <c>…/api/v3/</c>) asked for no run details: it answers 204.</summary>
    public const string GitHubEnterprise = "intranet-publish";

    /// <summary>GitHub Actions without a key input: its runs cannot be found by key.</summary>
    public const string GitHubWithoutKey = "docs-build";

    /// <summary>GitLab, project <c>example/docs</c> (a path, URL-encoded in the API's paths).</summary>
    public const string GitLab = "docs-deploy";

    public const string Owner = "example";
    public const string Repo = "website";
    public const string Workflow = "publish.yml";
    public const string KeyInput = "idempotency_key";
    public const string GitLabProject = "example/docs";
    public const string GitHubToken = "github_pat_11TEST0000000000000000_test";
    public const string GitLabTriggerToken = "glptt-test-trigger-0000000000";
    public const string GitLabApiToken = "glpat-test-api-000000000000";

    public static StepIdentity NewStep(int step = 2) =>
        new(Guid.NewGuid(), "test", $"evt_{Guid.NewGuid():N}", "content-published", 1, step);

    public static readonly IReadOnlyDictionary<string, string> NoVariables = new Dictionary<string, string>();

    /// <summary>The settings of every test pipeline: GitHub's API at <paramref name="gitHub"/> (a GitHub Enterprise Server's
    /// at its <c>api/v3</c>), GitLab's at <paramref name="gitLab"/>.</summary>
    public static Dictionary<string, string> Settings(Uri gitHub, Uri gitLab) => new()
    {
        [$"CiTrigger:Pipelines:{GitHub}:Provider"] = "GitHub",
        [$"CiTrigger:Pipelines:{GitHub}:BaseUrl"] = gitHub.ToString(),
        [$"CiTrigger:Pipelines:{GitHub}:Owner"] = Owner,
        [$"CiTrigger:Pipelines:{GitHub}:Repo"] = Repo,
        [$"CiTrigger:Pipelines:{GitHub}:Workflow"] = Workflow,
        [$"CiTrigger:Pipelines:{GitHub}:Ref"] = "main",
        [$"CiTrigger:Pipelines:{GitHub}:Token"] = GitHubToken,
        [$"CiTrigger:Pipelines:{GitHub}:KeyInput"] = KeyInput,
        [$"CiTrigger:Pipelines:{GitHubEnterprise}:Provider"] = "github",
        [$"CiTrigger:Pipelines:{GitHubEnterprise}:BaseUrl"] = new Uri(gitHub, "api/v3").ToString(),
        [$"CiTrigger:Pipelines:{GitHubEnterprise}:Owner"] = Owner,
        [$"CiTrigger:Pipelines:{GitHubEnterprise}:Repo"] = Repo,
        [$"CiTrigger:Pipelines:{GitHubEnterprise}:Workflow"] = Workflow,
        [$"CiTrigger:Pipelines:{GitHubEnterprise}:Ref"] = "release",
        [$"CiTrigger:Pipelines:{GitHubEnterprise}:Token"] = GitHubToken,
        [$"CiTrigger:Pipelines:{GitHubEnterprise}:KeyInput"] = KeyInput,
        [$"CiTrigger:Pipelines:{GitHubEnterprise}:ReturnRunDetails"] = "false",
        [$"CiTrigger:Pipelines:{GitHubWithoutKey}:Provider"] = "GitHub",
        [$"CiTrigger:Pipelines:{GitHubWithoutKey}:BaseUrl"] = gitHub.ToString(),
        [$"CiTrigger:Pipelines:{GitHubWithoutKey}:Owner"] = Owner,
        [$"CiTrigger:Pipelines:{GitHubWithoutKey}:Repo"] = Repo,
        [$"CiTrigger:Pipelines:{GitHubWithoutKey}:Workflow"] = "docs.yml",
        [$"CiTrigger:Pipelines:{GitHubWithoutKey}:Ref"] = "main",
        [$"CiTrigger:Pipelines:{GitHubWithoutKey}:Token"] = GitHubToken,
        [$"CiTrigger:Pipelines:{GitLab}:Provider"] = "GitLab",
        [$"CiTrigger:Pipelines:{GitLab}:BaseUrl"] = gitLab.ToString(),
        [$"CiTrigger:Pipelines:{GitLab}:Project"] = GitLabProject,
        [$"CiTrigger:Pipelines:{GitLab}:Ref"] = "main",
        [$"CiTrigger:Pipelines:{GitLab}:TriggerToken"] = GitLabTriggerToken,
        [$"CiTrigger:Pipelines:{GitLab}:ApiToken"] = GitLabApiToken,
    };
}
