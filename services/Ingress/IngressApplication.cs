using Automation.Ingress.Webhooks;
using Automation.Messaging;
using Automation.ServiceDefaults;

namespace Automation.Ingress;

/// <summary>What the Ingress service is made of.</summary>
public static class IngressApplication
{
    public const string ServiceName = "ingress";

    public static IHostApplicationBuilder AddIngress(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<IngressOptions>(IngressOptions.SectionName);
        builder.AddAutomationMessaging(ServiceName, _ => { });
        return builder;
    }

    public static WebApplication MapIngress(this WebApplication app)
    {
        app.MapWebhookEndpoint();
        return app;
    }
}
