using Automation.CiTrigger.Persistence;
using Automation.Hosting;

namespace Automation.CiTrigger;

/// <summary>What the CiTrigger service is made of.</summary>
public static class CiTriggerApplication
{
    public const string ServiceName = "ci-trigger";

    public static IHostApplicationBuilder AddCiTrigger(this IHostApplicationBuilder builder)
    {
        builder.AddAutomationMessaging<CiTriggerDbContext>(ServiceName, CiTriggerDbContext.Schema,
            _ => { });
        return builder;
    }
}
