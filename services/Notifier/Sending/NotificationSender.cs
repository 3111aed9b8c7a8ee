using Automation.Connectors;
using Automation.Contracts;
using Automation.Notifier.Channels;
using Automation.Notifier.Email;
using Automation.Notifier.Slack;
using Microsoft.Extensions.Options;

namespace Automation.Notifier.Sending;

/// <summary>Sends a <see cref="SendNotification"/> to its channel: the channel's configuration says whether that is a Slack
/// incoming webhook or e-mail, and the template's values are escaped for that target.</summary>
public sealed class NotificationSender(IOptions<NotifierOptions> options, SlackWebhookClient slack, SmtpMailer smtp)
{
    /// <returns>The effect's reference: the Slack post's idempotency key (Slack returns no id), or the e-mail's Message-ID.</returns>
    public async Task<string> SendAsync(SendNotification command, CancellationToken cancellationToken)
    {
        var channel = ChannelOf(command);
        if (string.IsNullOrWhiteSpace(command.Template))
        {
            throw new PermanentStepException($"notification to channel '{command.Channel}': the step has no template");
        }

        var key = command.Step.IdempotencyKey;
        var values = command.Values ?? new Dictionary<string, string>();
        switch (channel.Kind)
        {
            case ChannelKind.Slack:
                var text = Template.Render(command.Template, values, SlackText.Escape);
                if (string.IsNullOrWhiteSpace(text))
                {
                    throw new PermanentStepException($"Slack message to channel '{command.Channel}': the filled template is empty");
                }

                await slack.PostAsync(command.Channel, new Uri(channel.WebhookUrl!), text, key, cancellationToken);
                return key;
            case ChannelKind.Email:
                var message = EmailMessages.Compose(channel, key, command.Template, values);
                await smtp.SendAsync(message, $"e-mail to channel '{command.Channel}'", cancellationToken);
                return message.MessageId!;
            default:
                throw new PermanentStepException($"channel '{command.Channel}' has no kind (Notifier:Channels:{command.Channel}:Kind)");
        }
    }

    private ChannelOptions ChannelOf(SendNotification command) =>
        !string.IsNullOrWhiteSpace(command.Channel) && options.Value.Channels.TryGetValue(command.Channel, out var channel) && channel is not null
            ? channel
            : throw new PermanentStepException(
                $"notification channel '{command.Channel}' is not configured (no Notifier:Channels:{command.Channel})");
}
