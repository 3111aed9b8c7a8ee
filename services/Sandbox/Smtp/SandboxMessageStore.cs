using System.Buffers;
using MimeKit;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Automation.Sandbox.Smtp;

/// <summary>What the SMTP sink does with each e-mail: keeps it in the <see cref="SandboxMailbox"/> (once per Message-ID),
/// records it as a call of the <c>smtp</c> stand-in (method <c>MAIL</c>, path the envelope's recipients) so it shows with
/// the event's other calls, and gives the failures the Sandbox was told to give: a planned <c>Status</c> is the SMTP reply
/// (451 or 421: transient; 550, 554: permanent), <c>Hang</c> never answers, <c>AfterEffect</c> keeps the e-mail first.</summary>
public sealed class SandboxMessageStore(SandboxMailbox mailbox, SandboxLedger ledger, PlannedFailures failures, TimeProvider clock)
    : MessageStore
{
    public const string Api = "smtp";
    public const string Method = "MAIL";

    /// <summary>The header the Notifier puts the step's idempotency key in (a Message-ID holds only a digest of it).</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    private static readonly TimeSpan LongestHang = TimeSpan.FromMinutes(10);

    public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction,
        ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
    {
        var bytes = buffer.ToArray();
        using var stream = new MemoryStream(bytes, writable: false);
        var message = await MimeMessage.LoadAsync(stream, cancellationToken);
        var raw = System.Text.Encoding.UTF8.GetString(bytes);
        var recipients = transaction.To.Select(mailbox => mailbox.AsAddress()).ToArray();
        var path = string.Join(",", recipients);
        var key = message.Headers[IdempotencyKeyHeader];
        void Record(int status, string effect) =>
            ledger.Record(new RecordedCall(clock.GetUtcNow(), Api, Method, path, key, raw, status, effect));

        var failure = failures.TakeFor(Api, Method, path);
        if (failure is { AfterEffect: false })
        {
            return await FailAsync(failure, Record, cancellationToken);
        }

        if (string.IsNullOrEmpty(message.MessageId))
        {
            Record(554, SandboxLedger.Refused);
            return new SmtpResponse(SmtpReplyCode.TransactionFailed, "a Message-ID is required here: it is how a repeat is recognised");
        }

        var email = new ReceivedEmail(clock.GetUtcNow(), transaction.From.AsAddress() ?? "", recipients, message.Subject ?? "",
            message.MessageId, key, message.TextBody ?? "");
        Record((int)SmtpReplyCode.Ok, mailbox.TryAdd(email) ? SandboxLedger.Applied : SandboxLedger.Replayed);
        return failure is null ? SmtpResponse.Ok : await FailAsync(failure, Record, cancellationToken);
    }

    private static async Task<SmtpResponse> FailAsync(PlannedFailure failure, Action<int, string> record, CancellationToken cancellationToken)
    {
        if (failure.Hang)
        {
            record(0, SandboxLedger.Failed);
            await Task.Delay(LongestHang, cancellationToken);
        }

        var status = failure.Status is >= 400 and < 600 ? failure.Status : (int)SmtpReplyCode.ServiceUnavailable;
        record(status, SandboxLedger.Failed);
        return new SmtpResponse((SmtpReplyCode)status, failure.Body ?? $"planned failure {status}");
    }
}
