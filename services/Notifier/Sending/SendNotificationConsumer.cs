using Automation.Connectors;
using Automation.Contracts;
using Automation.Notifier.Persistence;

namespace Automation.Notifier.Sending;

/// <summary><c>notify</c>: sends the notification once per idempotency key. Not compensable: a message people have read
/// cannot be taken back, so there is no undo consumer. A run's failure notice
/// (<see cref="StepIdentity.FailureNotice"/>) is sent the same way.</summary>
public sealed class SendNotificationConsumer(StepOutcomes outcomes, NotificationSender sender) : StepConsumer<SendNotification>(outcomes)
{
    protected override async Task<string?> CallAsync(SendNotification command, CancellationToken cancellationToken) =>
        await sender.SendAsync(command, cancellationToken);
}

public sealed class SendNotificationConsumerDefinition()
    : ConnectorConsumerDefinition<SendNotificationConsumer, NotifierDbContext>(StepCommandQueues.SendNotification);
