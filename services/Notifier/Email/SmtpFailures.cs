using System.Net.Sockets;
using Automation.Connectors;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace Automation.Notifier.Email;

/// <summary>What an SMTP failure means for the step, as <see cref="ExternalCall"/> decides it for HTTP: a 4xx reply (the
/// server is busy, a mailbox is temporarily unavailable), a connection that fails or breaks, a timeout → transient; a 5xx
/// reply (e.g. 550 mailbox unavailable), refused credentials, a TLS mode the server does not offer → permanent.</summary>
public static class SmtpFailures
{
    /// <summary>A failure that may pass: what the circuit breaker counts and what is retried.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        SmtpCommandException command => IsTransientReply(command.StatusCode),
        SmtpProtocolException or ServiceNotConnectedException or IOException or SocketException or TimeoutException
            or TimeoutRejectedException => true,
        _ => false,
    };

    /// <summary>The step failure an exception of the send stands for; null for one that is not the SMTP server's doing
    /// (a bug, or the consumer being stopped), which goes on as it is.</summary>
    public static Exception? StepFailureOf(Exception exception, string operation) => exception switch
    {
        TimeoutRejectedException timeout =>
            new TransientStepException($"{operation}: no answer within {timeout.Timeout.TotalSeconds:0.###} s", null, exception),
        BrokenCircuitException =>
            new TransientStepException($"{operation}: the SMTP server failed repeatedly; sending is paused", null, exception),
        RateLimiterRejectedException rejected =>
            new TransientStepException($"{operation}: too many e-mails in flight", rejected.RetryAfter, exception),
        SmtpCommandException command when IsTransientReply(command.StatusCode) =>
            new TransientStepException($"{operation}: {Reply(command)}", null, exception),
        SmtpCommandException command =>
            new PermanentStepException($"{operation}: {Reply(command)}", exception),
        AuthenticationException =>
            new PermanentStepException($"{operation}: the SMTP server refused the credentials of Notifier:Smtp:UserName", exception),
        SslHandshakeException =>
            new PermanentStepException($"{operation}: the TLS handshake failed (check Notifier:Smtp:Security and the server's certificate)", exception),
        NotSupportedException =>
            new PermanentStepException($"{operation}: {exception.Message} (check Notifier:Smtp:Security)", exception),
        _ when IsTransient(exception) =>
            new TransientStepException($"{operation}: the connection failed ({exception.GetType().Name}: {exception.Message})", null, exception),
        _ => null,
    };

    private static bool IsTransientReply(SmtpStatusCode status) => (int)status is >= 400 and < 500;

    private static string Reply(SmtpCommandException command) =>
        $"{(int)command.StatusCode} {command.Message.ReplaceLineEndings(" ")}"
        + (command.Mailbox is { } mailbox ? $" ({mailbox.Address})" : "");
}
