using Automation.Notifier.Slack;

namespace Automation.Notifier.Tests.Slack;

/// <summary>Slack's control characters in event data, escaped as https://docs.slack.dev/messaging/formatting-message-text/ says.</summary>
public sealed class SlackTextTests
{
    [Theory]
    [InlineData("<!channel>", "&lt;!channel&gt;")]
    [InlineData("<!here|here>", "&lt;!here|here&gt;")]
    [InlineData("<@U024BE7LH>", "&lt;@U024BE7LH&gt;")]
    [InlineData("<https://evil.example|Reset your password>", "&lt;https://evil.example|Reset your password&gt;")]
    [InlineData("Tom & Jerry", "Tom &amp; Jerry")]
    [InlineData("already &lt; escaped", "already &amp;lt; escaped")]
    [InlineData("*bold* _it_ ~s~ `c` 🌊 é", "*bold* _it_ ~s~ `c` 🌊 é")]
    public void Only_ampersand_and_angle_brackets_become_entities(string value, string escaped)
    {
        Assert.Equal(escaped, SlackText.Escape(value));
    }

    [Fact]
    public void A_redacted_webhook_url_keeps_where_it_went_and_drops_the_credential()
    {
        Assert.Equal("https://hooks.slack.com/services/***",
            WebhookUrlRedaction.Redact(new Uri("https://hooks.slack.com/services/T000/B000/XXXX")));
    }
}
