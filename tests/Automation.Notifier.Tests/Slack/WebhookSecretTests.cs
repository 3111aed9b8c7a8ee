using System.Collections.Concurrent;
using System.Diagnostics;
using Automation.Contracts;
using Automation.Notifier.Tests.Infrastructure;
using Automation.Testing;
using static Automation.Notifier.Tests.Infrastructure.NotifierFixture;
using static Automation.Testing.ExternalApis.SlackWebhookStubs;

namespace Automation.Notifier.Tests.Slack;

/// <summary>An incoming webhook's URL is its credential: whoever reads it can post to the channel.</summary>
public sealed class WebhookSecretTests(NotifierFixture fixture) : IClassFixture<NotifierFixture>
{
    [Fact]
    public async Task When_slack_is_called_and_refuses_then_the_webhook_secret_is_in_no_log_and_no_trace()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var posted = NewStep();
        var refused = NewStep();
        fixture.Slack.Answer(posted.IdempotencyKey, Ok());
        fixture.Slack.Answer(refused.IdempotencyKey, Answered(404, "channel_not_found"));

        await fixture.SendAsync(Notification(posted, SlackChannel, "Posted"));
        await fixture.SendAsync(Notification(refused, SlackChannel, "Refused"));
        await fixture.Probe.Succeeded(posted);
        await fixture.Probe.Faulted<SendNotification>(refused);

        // The fault reaches the probe as MassTransit logs it: wait for the log line rather than race it.
        string[] logs = [];
        await Eventually.Until(() =>
        {
            logs = [.. fixture.Logs.GetSnapshot().Select(log => $"{log.Message} {log.Exception}")];
            return logs.Any(log => log.Contains("channel_not_found", StringComparison.Ordinal));
        }, "the refusal (channel_not_found) was logged");
        Assert.DoesNotContain(logs, log => log.Contains(WebhookSecret, StringComparison.Ordinal));
        var slackSpans = spans.Where(span => span.GetTagItem("server.port") is int port && port == fixture.Slack.Port).ToArray();
        Assert.True(slackSpans.Length >= 2, $"{slackSpans.Length} spans of calls to Slack were recorded");
        Assert.All(slackSpans, span =>
        {
            Assert.Equal($"{fixture.Slack.Url}/services/***", span.GetTagItem("url.full"));
            Assert.DoesNotContain(span.TagObjects, tag => tag.Value?.ToString()?.Contains(WebhookSecret, StringComparison.Ordinal) == true);
            Assert.DoesNotContain(WebhookSecret, span.DisplayName, StringComparison.Ordinal);
        });
    }
}
