using System.Text.Json;
using Automation.Contracts;
using Automation.Notifier.Tests.Infrastructure;
using Automation.Testing;
using MassTransit;
using static Automation.Notifier.Tests.Infrastructure.NotifierFixture;
using static Automation.Testing.ExternalApis.SlackWebhookStubs;

namespace Automation.Notifier.Tests.Slack;

/// <summary>Notifications to a Slack channel, with WireMock answering as Slack's incoming webhooks do.</summary>
public sealed class SlackNotificationTests(NotifierFixture fixture) : IClassFixture<NotifierFixture>
{
    private const string ErrorQueue = StepCommandQueues.SendNotification + "_error";

    [Fact]
    public async Task When_a_notification_goes_to_a_slack_channel_then_its_webhook_gets_the_documented_request()
    {
        var step = NewStep();
        fixture.Slack.Answer(step.IdempotencyKey, Ok());

        await fixture.SendAsync(Notification(step, SlackChannel, "Published: *{{data.title}}*", ("data.title", "Spring launch")));

        var succeeded = await fixture.Probe.Succeeded(step);
        Assert.Equal(step.IdempotencyKey, succeeded.ExternalReference);
        Assert.Equal(1, succeeded.Attempts);
        var call = Assert.Single(fixture.Slack.CallsWith(step.IdempotencyKey));
        Assert.Equal("POST", call.Method);
        Assert.Equal(WebhookPath, call.Path);
        Assert.StartsWith("application/json", call.Headers!["Content-Type"].Single(), StringComparison.Ordinal);
        using var body = JsonDocument.Parse(call.Body!);
        var property = Assert.Single(body.RootElement.EnumerateObject());
        Assert.Equal("text", property.Name);
        Assert.Equal("Published: *Spring launch*", property.Value.GetString());
    }

    [Fact]
    public async Task When_event_data_holds_slack_markup_then_it_arrives_as_escaped_text_and_the_template_markup_stays()
    {
        var step = NewStep();
        fixture.Slack.Answer(step.IdempotencyKey, Ok());

        await fixture.SendAsync(Notification(step, SlackChannel, "<https://cms.example/c/{{data.id}}|{{data.title}}> by {{data.author}}",
            ("data.id", "42"), ("data.title", "<!channel> Q&A <https://evil.example|your password>"), ("data.author", "<@U024BE7LH>")));

        await fixture.Probe.Succeeded(step);
        using var body = JsonDocument.Parse(Assert.Single(fixture.Slack.CallsWith(step.IdempotencyKey)).Body!);
        Assert.Equal("<https://cms.example/c/42|&lt;!channel&gt; Q&amp;A &lt;https://evil.example|your password&gt;> by &lt;@U024BE7LH&gt;",
            body.RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public async Task When_the_same_step_is_sent_again_as_another_message_then_slack_is_called_once()
    {
        var step = NewStep();
        fixture.Slack.Answer(step.IdempotencyKey, Ok());
        var command = Notification(step, SlackChannel, "Hello {{data.title}}", ("data.title", "world"));

        await fixture.SendAsync(command);
        await fixture.Probe.Succeeded(step);
        await fixture.SendAsync(command);

        await Eventually.Until(() => fixture.Probe.Received<StepSucceeded>().Count(message => message.Step == step) == 2,
            "the repeated command was answered with the stored outcome");
        Assert.Single(fixture.Slack.CallsWith(step.IdempotencyKey));
        Assert.All(fixture.Probe.Received<StepSucceeded>().Where(message => message.Step == step),
            message => Assert.Equal(step.IdempotencyKey, message.ExternalReference));
    }

    [Fact]
    public async Task When_the_same_message_is_delivered_twice_then_slack_is_called_once()
    {
        var step = NewStep();
        fixture.Slack.Answer(step.IdempotencyKey, Ok());
        var command = Notification(step, SlackChannel, "Hello {{data.title}}", ("data.title", "again"));
        var messageId = NewId.NextGuid();

        await fixture.SendAsync(command, messageId);
        await fixture.Probe.Succeeded(step);
        await fixture.SendAsync(command, messageId);

        await Eventually.Until(async () => await InboxReceiveCount(messageId) == 2, "the redelivery reached the inbox");
        Assert.Single(fixture.Slack.CallsWith(step.IdempotencyKey));
        Assert.Single(fixture.Probe.Received<StepSucceeded>(), message => message.Step == step);
    }

    [Fact]
    public async Task When_slack_answers_503_twice_then_the_third_call_succeeds()
    {
        var step = NewStep();
        fixture.Slack.Answer(step.IdempotencyKey, Answered(503, "rollup_error"), Answered(503, "rollup_error"), Ok());

        await fixture.SendAsync(Notification(step, SlackChannel, "Retried"));

        await fixture.Probe.Succeeded(step);
        Assert.Equal(3, fixture.Slack.CallsWith(step.IdempotencyKey).Count);
    }

    [Theory]
    [InlineData(400, "invalid_payload")]
    [InlineData(403, "action_prohibited")]
    [InlineData(404, "channel_not_found")]
    [InlineData(410, "channel_is_archived")]
    public async Task When_slack_refuses_the_post_then_the_step_faults_at_once_with_slacks_reason(int status, string reason)
    {
        var step = NewStep();
        fixture.Slack.Answer(step.IdempotencyKey, Answered(status, reason));
        var errorsBefore = await fixture.VirtualHost.MessageCount(ErrorQueue);

        await fixture.SendAsync(Notification(step, SlackChannel, "Refused"));

        var fault = await fixture.Probe.Faulted<SendNotification>(step);
        var message = Assert.Single(fault.Exceptions).Message;
        Assert.Contains($"{status}", message, StringComparison.Ordinal);
        Assert.Contains(reason, message, StringComparison.Ordinal);
        // At least one more: a command an earlier test of the class faulted may still be arriving there.
        await Eventually.Until(async () => await fixture.VirtualHost.MessageCount(ErrorQueue) >= errorsBefore + 1,
            "the command is in the error queue");
        Assert.Single(fixture.Slack.CallsWith(step.IdempotencyKey));
    }

    [Fact]
    public async Task When_slack_answers_429_with_retry_after_then_the_next_call_waits_that_long()
    {
        var step = NewStep();
        fixture.Slack.Answer(step.IdempotencyKey, Answered(429, "rate_limited").WithHeader("Retry-After", "1"), Ok());

        await fixture.SendAsync(Notification(step, SlackChannel, "Later"));

        await fixture.Probe.Succeeded(step);
        var calls = fixture.Slack.CallsWith(step.IdempotencyKey);
        Assert.Equal(2, calls.Count);
        // The configured redelivery waits 200 ms; Slack asked for 1 s.
        Assert.True(calls[1].DateTime - calls[0].DateTime >= TimeSpan.FromMilliseconds(950),
            $"the second call came {(calls[1].DateTime - calls[0].DateTime).TotalMilliseconds} ms after the first");
    }

    [Fact]
    public async Task When_slack_hangs_then_every_call_times_out_and_the_step_faults_after_its_retries()
    {
        var step = NewStep();
        var requestsBefore = fixture.HangingSlack.Requests;
        var errorsBefore = await fixture.VirtualHost.MessageCount(ErrorQueue);

        await fixture.SendAsync(Notification(step, HangingSlackChannel, "Hanging"));

        var fault = await fixture.Probe.Faulted<SendNotification>(step, TimeSpan.FromSeconds(60));
        Assert.Contains("no answer within", Assert.Single(fault.Exceptions).Message, StringComparison.Ordinal);
        // In the error queue, not handed back to the broker: a socket error of Slack's is not a database outage.
        // At least one more: a command an earlier test of the class faulted may still be arriving there.
        await Eventually.Until(async () => await fixture.VirtualHost.MessageCount(ErrorQueue) >= errorsBefore + 1,
            "the command is in the error queue");
        // (1 call + 1 immediate retry) in the first delivery and in each of the 2 redeliveries.
        Assert.Equal(6, fixture.HangingSlack.Requests - requestsBefore);
    }

    [Fact]
    public async Task When_slack_answers_200_with_something_else_than_ok_then_the_step_faults_with_a_clear_reason()
    {
        var step = NewStep();
        fixture.Slack.Answer(step.IdempotencyKey, Answered(200, "<html><body>Sign in to the proxy</body></html>"));

        await fixture.SendAsync(Notification(step, SlackChannel, "Malformed"));

        var fault = await fixture.Probe.Faulted<SendNotification>(step);
        Assert.Contains("not Slack's 'ok'", Assert.Single(fault.Exceptions).Message, StringComparison.Ordinal);
        Assert.Single(fixture.Slack.CallsWith(step.IdempotencyKey));
    }

    [Fact]
    public async Task When_the_channel_is_not_configured_then_the_step_faults_naming_it_and_nothing_is_sent()
    {
        var step = NewStep();

        await fixture.SendAsync(Notification(step, "marketing", "Nobody listens"));

        var fault = await fixture.Probe.Faulted<SendNotification>(step);
        Assert.Contains("Notifier:Channels:marketing", Assert.Single(fault.Exceptions).Message, StringComparison.Ordinal);
        Assert.Empty(fixture.Slack.CallsWith(step.IdempotencyKey));
        Assert.Empty(fixture.Smtp.AttemptsFor(step.IdempotencyKey));
    }

    [Fact]
    public async Task When_the_template_fills_to_nothing_then_the_step_faults_without_a_call()
    {
        var step = NewStep();

        await fixture.SendAsync(Notification(step, SlackChannel, "{{data.missing}}"));

        var fault = await fixture.Probe.Faulted<SendNotification>(step);
        Assert.Contains("empty", Assert.Single(fault.Exceptions).Message, StringComparison.Ordinal);
        Assert.Empty(fixture.Slack.CallsWith(step.IdempotencyKey));
    }

    [Fact]
    public async Task When_a_run_sends_its_failure_notice_then_it_is_posted_like_any_notification()
    {
        var step = NewStep(StepIdentity.FailureNotice);
        fixture.Slack.Answer(step.IdempotencyKey, Ok());

        await fixture.SendAsync(Notification(step, SlackChannel, "Run of {{rule}} failed: {{error}}", ("rule", "content-published"),
            ("error", "CI answered 422")));

        var succeeded = await fixture.Probe.Succeeded(step);
        Assert.EndsWith(":0", succeeded.ExternalReference, StringComparison.Ordinal);
        using var body = JsonDocument.Parse(Assert.Single(fixture.Slack.CallsWith(step.IdempotencyKey)).Body!);
        Assert.Equal("Run of content-published failed: CI answered 422", body.RootElement.GetProperty("text").GetString());
    }

    private async Task<int> InboxReceiveCount(Guid messageId)
    {
        await using var connection = new Npgsql.NpgsqlConnection(fixture.DatabaseConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var query = new Npgsql.NpgsqlCommand(
            "SELECT coalesce(max(receive_count), 0) FROM notifier.inbox_state WHERE message_id = $1", connection)
        {
            Parameters = { new() { Value = messageId } },
        };
        return (int)(await query.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }
}
