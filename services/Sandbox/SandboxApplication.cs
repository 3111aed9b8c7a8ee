using Automation.Sandbox.GitHub;
using Automation.Sandbox.GitLab;
using Automation.Sandbox.HubSpot;
using Automation.Sandbox.Smtp;

namespace Automation.Sandbox;

/// <summary>What the Sandbox is made of: stand-ins for the external systems the connectors call (for local runs without
/// credentials, demos and tests), which record every call, honour idempotency keys and fail on request.</summary>
public static class SandboxApplication
{
    public static IHostApplicationBuilder AddSandbox(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SandboxLedger>();
        builder.Services.AddSingleton<PlannedFailures>();
        builder.Services.AddSingleton<HubSpotCrm>();
        builder.AddSmtpSink();
        builder.Services.AddSingleton<GitHubActionsRuns>();
        builder.Services.AddSingleton<GitLabProjects>();
        return builder;
    }
}
