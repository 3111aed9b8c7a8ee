using Automation.CiTrigger.GitHub;
using Automation.CiTrigger.GitLab;
using Automation.CiTrigger.Persistence;
using Automation.CiTrigger.Pipelines;
using Automation.Connectors;
using Automation.ServiceDefaults;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Automation.CiTrigger;

/// <summary>What the CiTrigger service is made of: the CI steps (start a pipeline, and cancel it as compensation) against
/// GitHub Actions and GitLab CI/CD, for the pipelines named in <c>CiTrigger:Pipelines</c>.</summary>
public static class CiTriggerApplication
{
    public const string ServiceName = "ci-trigger";

    public static IHostApplicationBuilder AddCiTrigger(this IHostApplicationBuilder builder)
    {
        builder.AddConnectorService<CiTriggerDbContext>(ServiceName, CiTriggerDbContext.Schema, bus =>
        {
            bus.AddConsumer<TriggerPipelineConsumer, TriggerPipelineConsumerDefinition>();
            bus.AddConsumer<CancelPipelineConsumer, CancelPipelineConsumerDefinition>();
        });
        builder.Services.AddValidatedOptions<CiTriggerOptions>(CiTriggerOptions.SectionName);
        builder.Services.AddSingleton<IValidateOptions<CiTriggerOptions>, UnreadablePipelines>();
        builder.Services.AddScoped<ConfiguredPipelines>();
        // GitHub asks every caller to name itself; each pipeline's base URL and token go on each request.
        builder.Services.AddConnectorHttpClient<GitHubActionsClient>((_, http) => http.DefaultRequestHeaders.UserAgent.Add(new(ServiceName, null)));
        builder.Services.AddConnectorHttpClient<GitLabPipelinesClient>((_, http) => http.DefaultRequestHeaders.UserAgent.Add(new(ServiceName, null)));
        return builder;
    }
}
