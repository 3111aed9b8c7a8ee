using Automation.Notifier.Persistence;
using Automation.Hosting;

namespace Automation.Notifier;

/// <summary>What the Notifier service is made of.</summary>
public static class NotifierApplication
{
    public const string ServiceName = "notifier";

    public static IHostApplicationBuilder AddNotifier(this IHostApplicationBuilder builder)
    {
        builder.AddAutomationMessaging<NotifierDbContext>(ServiceName, NotifierDbContext.Schema,
            _ => { });
        return builder;
    }
}
