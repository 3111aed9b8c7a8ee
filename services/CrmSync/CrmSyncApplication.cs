using Automation.CrmSync.Persistence;
using Automation.Hosting;

namespace Automation.CrmSync;

/// <summary>What the CrmSync service is made of.</summary>
public static class CrmSyncApplication
{
    public const string ServiceName = "crm-sync";

    public static IHostApplicationBuilder AddCrmSync(this IHostApplicationBuilder builder)
    {
        builder.AddAutomationMessaging<CrmSyncDbContext>(ServiceName, CrmSyncDbContext.Schema,
            _ => { });
        return builder;
    }
}
