using Automation.Contracts;
using MassTransit;

namespace Automation.CrmSync.Events;

/// <summary>Receives every accepted webhook event. The walking skeleton only records that it arrived.</summary>
public sealed partial class WebhookEventConsumer(ILogger<WebhookEventConsumer> logger) : IConsumer<IWebhookEvent>
{
    public Task Consume(ConsumeContext<IWebhookEvent> context)
    {
        var metadata = context.Message.Metadata;
        LogReceived(metadata.Type, metadata.EventId, metadata.Source, metadata.Id);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "CrmSync received {Type} event {EventId} from {Source} (our id {Id})")]
    private partial void LogReceived(string type, string eventId, string source, Guid id);
}
