using System.Collections.Concurrent;

namespace Automation.Sandbox.Smtp;

/// <summary>One e-mail the SMTP sink received, as an operator or a test reads it.</summary>
/// <param name="To">The envelope's recipients (RCPT TO), which are who really gets it, whatever the headers say.</param>
/// <param name="IdempotencyKey">From the <c>Idempotency-Key</c> header the Notifier adds.</param>
public sealed record ReceivedEmail(
    DateTimeOffset At,
    string From,
    IReadOnlyList<string> To,
    string Subject,
    string MessageId,
    string? IdempotencyKey,
    string Body);

/// <summary>The e-mails the sink accepted, one per <c>Message-ID</c>: a repeated Message-ID is a replay (the Notifier sending
/// the same step again after a lost answer) and changes nothing.</summary>
public sealed class SandboxMailbox
{
    private readonly ConcurrentDictionary<string, ReceivedEmail> _byMessageId = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ReceivedEmail> _emails = new();

    /// <summary>Keeps <paramref name="email"/> unless its Message-ID was received before.</summary>
    /// <returns>True when it is new.</returns>
    public bool TryAdd(ReceivedEmail email)
    {
        if (!_byMessageId.TryAdd(email.MessageId, email))
        {
            return false;
        }

        _emails.Enqueue(email);
        return true;
    }

    public IReadOnlyList<ReceivedEmail> Emails => _emails.ToArray();

    /// <summary>The e-mails sent for one event: their idempotency keys start with <c>{source}:{eventId}:</c>.</summary>
    public IReadOnlyList<ReceivedEmail> EmailsFor(string source, string eventId) =>
        _emails.Where(email => email.IdempotencyKey?.StartsWith($"{source}:{eventId}:", StringComparison.Ordinal) == true).ToArray();

    public void Clear()
    {
        _byMessageId.Clear();
        _emails.Clear();
    }
}
