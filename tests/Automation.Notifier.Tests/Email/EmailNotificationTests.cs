using Automation.Contracts;
using Automation.Notifier.Email;
using Automation.Notifier.Tests.Infrastructure;
using Automation.Testing;
using static Automation.Notifier.Tests.Infrastructure.NotifierFixture;

namespace Automation.Notifier.Tests.Email;

/// <summary>Notifications to an e-mail channel, sent with MailKit to a real SMTP server in the test.</summary>
public sealed class EmailNotificationTests(NotifierFixture fixture) : IClassFixture<NotifierFixture>
{
    private const string ErrorQueue = StepCommandQueues.SendNotification + "_error";

    [Fact]
    public async Task When_a_notification_goes_to_an_email_channel_then_the_configured_recipients_get_it()
    {
        var step = NewStep();

        await fixture.SendAsync(Notification(step, EmailChannel, "Task {{data.name}} failed.\nOutput: {{data.output}}",
            ("data.title", "nightly-export"), ("data.name", "nightly-export"), ("data.output", "exit code 3")));

        var succeeded = await fixture.Probe.Succeeded(step);
        var mail = Assert.Single(fixture.Smtp.AcceptedFor(step.IdempotencyKey));
        Assert.Equal(Sender, mail.EnvelopeFrom);
        Assert.Equal([Recipient], mail.EnvelopeTo);
        Assert.Equal(Sender, Assert.Single(mail.Message.From.Mailboxes).Address);
        Assert.Equal(Recipient, Assert.Single(mail.Message.To.Mailboxes).Address);
        Assert.Equal("Automation: nightly-export", mail.Message.Subject);
        Assert.Equal("Task nightly-export failed.\nOutput: exit code 3", (mail.Message.TextBody ?? "").ReplaceLineEndings("\n").TrimEnd());
        Assert.Equal(EmailMessages.MessageIdOf(step.IdempotencyKey, "notifier.test"), mail.Message.MessageId);
        Assert.Equal(mail.Message.MessageId, succeeded.ExternalReference);
    }

    [Fact]
    public async Task When_event_data_tries_to_add_a_header_then_it_stays_in_the_subject_and_nobody_else_gets_the_email()
    {
        var step = NewStep();

        await fixture.SendAsync(Notification(step, EmailChannel, "Body", ("data.title", "Launch\r\nBcc: attacker@evil.test")));

        await fixture.Probe.Succeeded(step);
        var mail = Assert.Single(fixture.Smtp.AcceptedFor(step.IdempotencyKey));
        Assert.Equal([Recipient], mail.EnvelopeTo);
        Assert.Empty(mail.Message.Bcc);
        Assert.DoesNotContain(mail.Message.Headers, header => header.Field.Equals("Bcc", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("Automation: Launch  Bcc: attacker@evil.test", mail.Message.Subject);
    }

    [Fact]
    public async Task When_the_same_step_is_sent_again_as_another_message_then_one_email_is_sent()
    {
        var step = NewStep();
        var command = Notification(step, EmailChannel, "Once");

        await fixture.SendAsync(command);
        await fixture.Probe.Succeeded(step);
        await fixture.SendAsync(command);

        await Eventually.Until(() => fixture.Probe.Received<StepSucceeded>().Count(message => message.Step == step) == 2,
            "the repeated command was answered with the stored outcome");
        Assert.Single(fixture.Smtp.AttemptsFor(step.IdempotencyKey));
    }

    [Fact]
    public async Task When_the_server_answers_451_twice_then_the_email_is_sent_on_the_third_attempt()
    {
        var step = NewStep();
        fixture.Smtp.Reply(step.IdempotencyKey, 451, 451);

        await fixture.SendAsync(Notification(step, EmailChannel, "Busy server"));

        await fixture.Probe.Succeeded(step);
        Assert.Equal(3, fixture.Smtp.AttemptsFor(step.IdempotencyKey).Count);
        var accepted = Assert.Single(fixture.Smtp.AcceptedFor(step.IdempotencyKey));
        // Every attempt is the same e-mail: a server that did keep one can tell the repeat by its Message-ID.
        Assert.All(fixture.Smtp.AttemptsFor(step.IdempotencyKey), attempt => Assert.Equal(accepted.Message.MessageId, attempt.Message.MessageId));
    }

    [Fact]
    public async Task When_the_mailbox_is_unavailable_then_the_step_faults_at_once()
    {
        var step = NewStep();
        fixture.Smtp.Reply(step.IdempotencyKey, 550);
        var errorsBefore = await fixture.VirtualHost.MessageCount(ErrorQueue);

        await fixture.SendAsync(Notification(step, EmailChannel, "Nobody home"));

        var fault = await fixture.Probe.Faulted<SendNotification>(step);
        Assert.Contains("550", Assert.Single(fault.Exceptions).Message, StringComparison.Ordinal);
        // At least one more: an earlier test's faulted command may still be arriving there.
        await Eventually.Until(async () => await fixture.VirtualHost.MessageCount(ErrorQueue) >= errorsBefore + 1,
            "the command is in the error queue");
        Assert.Single(fixture.Smtp.AttemptsFor(step.IdempotencyKey));
    }

    [Fact]
    public async Task When_the_server_hangs_then_every_attempt_times_out_and_the_step_faults_after_its_retries()
    {
        var step = NewStep();
        fixture.Smtp.Hang(step.IdempotencyKey);
        var errorsBefore = await fixture.VirtualHost.MessageCount(ErrorQueue);

        await fixture.SendAsync(Notification(step, EmailChannel, "Into the void"));

        var fault = await fixture.Probe.Faulted<SendNotification>(step, TimeSpan.FromSeconds(60));
        Assert.Contains("no answer within", Assert.Single(fault.Exceptions).Message, StringComparison.Ordinal);
        // At least one more: an earlier test's faulted command may still be arriving there.
        await Eventually.Until(async () => await fixture.VirtualHost.MessageCount(ErrorQueue) >= errorsBefore + 1,
            "the command is in the error queue");
        Assert.Equal(6, fixture.Smtp.AttemptsFor(step.IdempotencyKey).Count);
    }
}
