using Automation.CiTrigger.Pipelines;
using Automation.Testing;
using Microsoft.Extensions.Options;

namespace Automation.CiTrigger.Tests;

/// <summary>The pipelines' configuration is checked when the service starts: a bad setting stops it with the full key,
/// never with a token's value.</summary>
public sealed class PipelineOptionsTests
{
    private const string GitHubToken = "github_pat_11SECRET0000000000000_secret";
    private const string GitLabToken = "glptt-secret-trigger-000000000";

    [Fact]
    public void Every_bad_setting_stops_the_service_naming_its_full_key_and_no_token()
    {
        var failure = StartFailure(new Dictionary<string, string>
        {
            ["CiTrigger:Pipelines:site:Provider"] = "GitHub",
            ["CiTrigger:Pipelines:site:BaseUrl"] = "ftp://github.example.com/",
            ["CiTrigger:Pipelines:site:Repo"] = "website",
            ["CiTrigger:Pipelines:site:Workflow"] = "publish.yml",
            ["CiTrigger:Pipelines:site:Ref"] = "main",
            ["CiTrigger:Pipelines:site:Token"] = GitHubToken,
            ["CiTrigger:Pipelines:site:KeyInput"] = "idempotency key",
            ["CiTrigger:Pipelines:docs:Provider"] = "GitLab",
            ["CiTrigger:Pipelines:docs:Project"] = "example/docs",
            ["CiTrigger:Pipelines:docs:Ref"] = "main",
            ["CiTrigger:Pipelines:docs:TriggerToken"] = GitLabToken,
            ["CiTrigger:Pipelines:docs:KeyVariable"] = "AUTOMATION-KEY",
            ["CiTrigger:Pipelines:nightly:Ref"] = "main",
        });

        Assert.Contains("CiTrigger:Pipelines:site:BaseUrl: must be an absolute http or https address", failure, StringComparison.Ordinal);
        Assert.Contains("CiTrigger:Pipelines:site:Owner: is required for a GitHub pipeline", failure, StringComparison.Ordinal);
        Assert.Contains("CiTrigger:Pipelines:site:KeyInput: must be a workflow input name", failure, StringComparison.Ordinal);
        Assert.Contains("CiTrigger:Pipelines:docs:ApiToken: is required for a GitLab pipeline", failure, StringComparison.Ordinal);
        Assert.Contains("CiTrigger:Pipelines:docs:KeyVariable: must be a CI/CD variable key", failure, StringComparison.Ordinal);
        Assert.Contains("CiTrigger:Pipelines:nightly:Provider: is required: GitHub or GitLab", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("CiTrigger:Pipelines:site:Token", failure, StringComparison.Ordinal);
        Assert.DoesNotContain(GitHubToken, failure, StringComparison.Ordinal);
        Assert.DoesNotContain(GitLabToken, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_provider_stops_the_service_naming_the_key()
    {
        var failure = StartFailure(new Dictionary<string, string>
        {
            ["CiTrigger:Pipelines:site:Provider"] = "Jenkins",
            ["CiTrigger:Pipelines:site:Ref"] = "main",
        });

        Assert.Contains("CiTrigger:Pipelines:site:Provider", failure, StringComparison.Ordinal);
        Assert.Contains("Provider is GitHub or GitLab", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_complete_pipeline_of_each_provider_is_valid_and_gets_its_providers_public_api_by_default()
    {
        var options = new CiTriggerOptions();
        options.Pipelines["site"] = new PipelineOptions
        {
            Provider = CiProvider.GitHub, Owner = "example", Repo = "website", Workflow = "publish.yml", Ref = "main", Token = GitHubToken,
        };
        options.Pipelines["docs"] = new PipelineOptions
        {
            Provider = CiProvider.GitLab, Project = "42", Ref = "main", TriggerToken = GitLabToken, ApiToken = "glpat-x",
        };

        Assert.Empty(options.Validate(new(options)));
        Assert.Equal(new Uri("https://api.github.com/"), options.Pipelines["SITE"].ApiRoot);
        Assert.Equal(new Uri("https://gitlab.com/"), options.Pipelines["docs"].ApiRoot);
    }

    /// <summary>Starts the service with the given pipelines (the broker and database are never reached: the options are
    /// checked first) and returns the start failure's messages.</summary>
    private static string StartFailure(Dictionary<string, string> pipelines)
    {
        pipelines["RabbitMq:Uri"] = "amqp://guest:guest@127.0.0.1:1/";
        pipelines["ConnectionStrings:Automation"] = "Host=127.0.0.1;Port=1;Username=postgres";
        pipelines["Database:MigrateOnStart"] = "false";
        using var service = new ServiceFactory<TriggerPipelineConsumer>(pipelines);
        var failure = Record.Exception(() => service.Services);
        Assert.NotNull(failure);
        return string.Join(Environment.NewLine, Flatten(failure).Select(exception => exception.Message));
    }

    private static IEnumerable<Exception> Flatten(Exception exception) =>
        exception switch
        {
            AggregateException aggregate => aggregate.InnerExceptions.SelectMany(Flatten),
            OptionsValidationException validation => [validation],
            { InnerException: { } inner } => Flatten(inner).Prepend(exception),
            _ => [exception],
        };
}
