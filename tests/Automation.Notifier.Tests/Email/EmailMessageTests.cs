using System.Net.Sockets;
using Automation.Connectors;
using Automation.Notifier.Channels;
using Automation.Notifier.Email;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace Automation.Notifier.Tests.Email;

/// <summary>How an e-mail is composed and how SMTP failures are judged, without a server.</summary>
public sealed class EmailMessageTests
{
    private static readonly ChannelOptions Channel = new()
    {
        Kind = ChannelKind.Email,
        From = "Automation <automation@notifier.test>",
        To = ["ops@notifier.test", "Oncall <oncall@notifier.test>"],
    };

    [Fact]
    public void Without_a_subject_template_the_subject_is_the_first_line_of_the_message()
    {
        var message = EmailMessages.Compose(Channel, "s:e:r:1:0", "\n  Run failed: {{data.name}}\nDetails follow.", Values(("data.name", "export")));

        Assert.Equal("Run failed: export", message.Subject);
        Assert.Equal(["ops@notifier.test", "oncall@notifier.test"], message.To.Mailboxes.Select(mailbox => mailbox.Address));
    }

    [Fact]
    public void A_subject_never_holds_a_line_break_and_stays_short()
    {
        var channel = new ChannelOptions { Kind = ChannelKind.Email, From = Channel.From, To = Channel.To, Subject = "{{data.title}}" };

        var message = EmailMessages.Compose(channel, "s:e:r:1:1", "Body", Values(("data.title", "a\nb\rc\u0000" + new string('x', 300))));

        var subject = message.Subject ?? "";
        Assert.DoesNotContain(subject, char.IsControl);
        Assert.StartsWith("a b c ", subject, StringComparison.Ordinal);
        Assert.Equal(201, subject.Length);
    }

    [Fact]
    public void The_message_id_is_the_same_for_the_same_key_and_differs_for_another()
    {
        var first = EmailMessages.Compose(Channel, "src:evt_1:rule:1:2", "Hello", Values());
        var again = EmailMessages.Compose(Channel, "src:evt_1:rule:1:2", "Hello", Values());
        var replay = EmailMessages.Compose(Channel, "src:evt_1:rule:2:2", "Hello", Values());

        Assert.Equal(first.MessageId, again.MessageId);
        Assert.NotEqual(first.MessageId, replay.MessageId);
        Assert.Matches("^automation\\.[0-9a-f]{32}@notifier\\.test$", first.MessageId);
        Assert.Equal("src:evt_1:rule:1:2", first.Headers[EmailMessages.IdempotencyKeyHeader]);
    }

    [Fact]
    public void A_key_with_a_line_break_travels_percent_encoded_in_its_header()
    {
        var message = EmailMessages.Compose(Channel, "src:evt\r\nBcc: x:rule:1:2", "Hello", Values());

        Assert.Equal("src%3Aevt%0D%0ABcc%3A%20x%3Arule%3A1%3A2", message.Headers[EmailMessages.IdempotencyKeyHeader]);
        Assert.Empty(message.Bcc);
    }

    public static TheoryData<Exception, Type> Failures => new()
    {
        { new SmtpCommandException(SmtpErrorCode.MessageNotAccepted, SmtpStatusCode.ServiceNotAvailable, "try later"), typeof(TransientStepException) },
        { new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxBusy, "busy"), typeof(TransientStepException) },
        { new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxUnavailable, "no such user"), typeof(PermanentStepException) },
        { new SmtpCommandException(SmtpErrorCode.MessageNotAccepted, SmtpStatusCode.TransactionFailed, "spam"), typeof(PermanentStepException) },
        { new SocketException((int)SocketError.ConnectionRefused), typeof(TransientStepException) },
        { new IOException("connection reset"), typeof(TransientStepException) },
        { new SmtpProtocolException("unexpected disconnect"), typeof(TransientStepException) },
        { new AuthenticationException("535 bad credentials"), typeof(PermanentStepException) },
        { new NotSupportedException("The SMTP server does not support the STARTTLS extension."), typeof(PermanentStepException) },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void An_smtp_failure_is_transient_or_permanent_as_documented(Exception failure, Type expected)
    {
        var stepFailure = SmtpFailures.StepFailureOf(failure, "e-mail to channel 'ops'");

        Assert.IsType(expected, stepFailure);
        Assert.StartsWith("e-mail to channel 'ops': ", stepFailure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failure_that_is_not_the_servers_is_left_as_it_is()
    {
        Assert.Null(SmtpFailures.StepFailureOf(new InvalidOperationException("a bug"), "e-mail"));
    }

    private static Dictionary<string, string> Values(params (string Name, string Value)[] values) =>
        values.ToDictionary(value => value.Name, value => value.Value);
}
