using Automation.Connectors;
using Automation.Notifier.Channels;
using MailKit;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;
using Polly;
using Polly.Registry;

namespace Automation.Notifier.Email;

/// <summary>Sends e-mails through the configured SMTP server with MailKit: one connection per e-mail (connect, authenticate
/// when configured, send, quit), inside the <see cref="PipelineName"/> resilience pipeline (concurrency limit, circuit
/// breaker, timeout; no retry: retries are the message's). Failures surface as transient or permanent step failures
/// (<see cref="SmtpFailures"/>).</summary>
public sealed class SmtpMailer(IOptions<NotifierOptions> options, ResiliencePipelineProvider<string> pipelines)
{
    public const string PipelineName = "notifier-smtp";

    public async Task SendAsync(MimeMessage message, string operation, CancellationToken cancellationToken)
    {
        var smtp = options.Value.Smtp;
        using var client = new SmtpClient { Timeout = (int)smtp.Timeout.TotalMilliseconds };
        try
        {
            await pipelines.GetPipeline(PipelineName).ExecuteAsync(async token =>
            {
                await client.ConnectAsync(smtp.Host!, smtp.Port, smtp.Security, token);
                if (!string.IsNullOrEmpty(smtp.UserName))
                {
                    await client.AuthenticateAsync(smtp.UserName, smtp.Password!, token);
                }

                await client.SendAsync(message, token);
            }, cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested
            && SmtpFailures.StepFailureOf(exception, operation) is { } failure)
        {
            throw failure;
        }

        await QuitAsync(client);
    }

    /// <summary>Says goodbye politely. The server has accepted the e-mail by now: a QUIT that fails changes nothing, and
    /// failing the step for it would send the e-mail again.</summary>
    private static async Task QuitAsync(SmtpClient client)
    {
        try
        {
            await client.DisconnectAsync(quit: true, CancellationToken.None);
        }
        catch (Exception exception) when (exception is IOException or TimeoutException or SmtpProtocolException or SmtpCommandException
            or ServiceNotConnectedException)
        {
            // Disposing the client closes the connection.
        }
    }

    /// <summary>The pipeline every send runs in, from <see cref="SmtpOptions"/>: at most
    /// <see cref="SmtpOptions.ConcurrencyLimit"/> at once (the rest wait in line: <see cref="ConnectorHttpOptions.CallsWaitingAtMost"/>), a circuit breaker that counts transient
    /// failures only (a rejected recipient says nothing about the server's health), and a timeout per e-mail.</summary>
    public static void Configure(ResiliencePipelineBuilder pipeline, SmtpOptions smtp) =>
        pipeline
            .AddConcurrencyLimiter(smtp.ConcurrencyLimit, queueLimit: ConnectorHttpOptions.CallsWaitingAtMost)
            .AddCircuitBreaker(new Polly.CircuitBreaker.CircuitBreakerStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(SmtpFailures.IsTransient),
                FailureRatio = smtp.FailureRatio,
                MinimumThroughput = smtp.MinimumThroughput,
                SamplingDuration = smtp.SamplingDuration,
                BreakDuration = smtp.BreakDuration,
            })
            .AddTimeout(smtp.Timeout);
}
