using Automation.Notifier.Events;
using Automation.Messaging;
using MassTransit;

namespace Automation.Notifier;

/// <summary>What the Notifier service is made of.</summary>
public static class NotifierApplication
{
    public const string ServiceName = "notifier";

    public static IHostApplicationBuilder AddNotifier(this IHostApplicationBuilder builder)
    {
        builder.AddAutomationMessaging(ServiceName, bus => bus.AddConsumer<WebhookEventConsumer, WebhookEventConsumerDefinition>());
        return builder;
    }
}
