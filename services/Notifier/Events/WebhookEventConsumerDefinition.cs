using Automation.Notifier.Persistence;
using Automation.Hosting;

namespace Automation.Notifier.Events;

/// <summary>Delivery policy of <see cref="WebhookEventConsumer"/>: the inbox policy every consumer service shares.</summary>
public sealed class WebhookEventConsumerDefinition : InboxConsumerDefinition<WebhookEventConsumer, NotifierDbContext>;
