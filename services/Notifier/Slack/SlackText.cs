namespace Automation.Notifier.Slack;

/// <summary>Escapes event data for Slack's mrkdwn (https://docs.slack.dev/messaging/formatting-message-text/):
/// <c>&amp;</c>, <c>&lt;</c> and <c>&gt;</c> are Slack's control characters and become HTML entities, and nothing else
/// does. So a value can never open a control sequence of its own: <c>&lt;!channel&gt;</c> or <c>&lt;!here&gt;</c> (a
/// mention that notifies everyone), <c>&lt;@U123&gt;</c>, or <c>&lt;https://evil.example|innocent text&gt;</c> (a link
/// disguised as other text) arrive as the literal text that was sent.</summary>
public static class SlackText
{
    public static string Escape(string value) =>
        value.Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal);
}
