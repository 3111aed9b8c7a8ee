using Automation.Hosting;

namespace Automation.Orchestrator;

/// <summary>What the Orchestrator service is made of. It will host the automation sagas and the operator API.</summary>
public static class OrchestratorApplication
{
    public const string ServiceName = "orchestrator";

    public static IHostApplicationBuilder AddOrchestrator(this IHostApplicationBuilder builder)
    {
        builder.AddAutomationMessaging(ServiceName, _ => { });
        return builder;
    }
}
