using System.Security.Cryptography;
using System.Text;
using Automation.Connectors;
using Automation.Notifier.Channels;
using Automation.Notifier.Sending;
using MimeKit;

namespace Automation.Notifier.Email;

/// <summary>Builds the e-mail of a notification: from and to as the channel says, the subject from the channel's template
/// (event data escaped for a header) or the message's first line, the message as a plain-text body, and a
/// <c>Message-ID</c> derived from the step's idempotency key — the same for every attempt, so a receiving system (and the
/// Sandbox) recognises a repeat.</summary>
public static class EmailMessages
{
    /// <summary>The header that carries the idempotency key itself (a Message-ID can hold only a digest of it).</summary>
    public const string IdempotencyKeyHeader = ExternalCall.IdempotencyKeyHeader;

    private const int LongestSubject = 200;

    public static MimeMessage Compose(ChannelOptions channel, string idempotencyKey, string template, IReadOnlyDictionary<string, string> values)
    {
        var body = Template.Render(template, values, value => value);
        var from = MailboxAddress.Parse(channel.From!);
        var message = new MimeMessage
        {
            Subject = SubjectOf(channel.Subject, body, values),
            MessageId = MessageIdOf(idempotencyKey, from.Domain),
            Body = new TextPart("plain") { Text = body },
        };
        message.From.Add(from);
        message.To.AddRange((channel.To ?? []).Select(MailboxAddress.Parse));
        message.Headers.Add(IdempotencyKeyHeader, HeaderText.Ascii(idempotencyKey));
        return message;
    }

    /// <summary><c>{digest of the key}@{sender's domain}</c>: globally unique as RFC 5322 asks, and the same for the same
    /// key. The key itself may hold characters a Message-ID cannot (it carries the source's event id).</summary>
    public static string MessageIdOf(string idempotencyKey, string domain) =>
        $"automation.{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)))[..32]}@{domain}";

    private static string SubjectOf(string? subjectTemplate, string body, IReadOnlyDictionary<string, string> values)
    {
        var subject = subjectTemplate is null
            ? body.ReplaceLineEndings("\n").Split('\n').FirstOrDefault(line => line.Trim().Length > 0) ?? ""
            : Template.Render(subjectTemplate, values, HeaderText.SingleLine);
        subject = HeaderText.SingleLine(subject).Trim();
        return subject.Length > LongestSubject ? subject[..LongestSubject] + "…" : subject;
    }
}
