using System.Net;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Automation.Notifier.Channels;

/// <summary>Checks the channels and the SMTP settings when the service starts; each problem names its full key. A secret
/// (a webhook URL, the SMTP password) is never part of a message.</summary>
public sealed class NotifierOptionsValidator(IHostEnvironment environment) : IValidateOptions<NotifierOptions>
{
    private const string Section = NotifierOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, NotifierOptions options)
    {
        var problems = new List<string>();
        foreach (var (channel, settings) in options.Channels)
        {
            ValidateChannel($"{Section}:Channels:{channel}", settings, problems);
        }

        if (options.Channels.Values.Any(channel => channel.Kind == ChannelKind.Email))
        {
            ValidateSmtp($"{Section}:Smtp", options.Smtp, problems);
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private void ValidateChannel(string key, ChannelOptions channel, List<string> problems)
    {
        switch (channel.Kind)
        {
            case null:
                problems.Add($"{key}:Kind: required: Slack or Email");
                break;
            case ChannelKind.Slack when WebhookProblem(channel.WebhookUrl) is { } problem:
                problems.Add($"{key}:WebhookUrl: {problem}");
                break;
            case ChannelKind.Email:
                if (!IsMailbox(channel.From))
                {
                    problems.Add($"{key}:From: required: an e-mail address such as 'Automation <automation@example.com>'");
                }

                if (channel.To is not { Length: > 0 })
                {
                    problems.Add($"{key}:To: at least one recipient is required");
                }

                problems.AddRange((channel.To ?? []).Select((recipient, index) => (recipient, index))
                    .Where(entry => !IsMailbox(entry.recipient))
                    .Select(entry => $"{key}:To:{entry.index}: not an e-mail address"));
                break;
        }
    }

    /// <summary>https; http only to a loopback address or in Development (the Sandbox, e.g. in containers). The URL itself is
    /// never repeated: it is the secret.</summary>
    private string? WebhookProblem(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return "required: the channel's incoming webhook URL";
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return "not an absolute http(s) URL";
        }

        return uri.Scheme == Uri.UriSchemeHttp && !IsLoopback(uri) && !environment.IsDevelopment()
            ? "must be https (http only to a loopback address or in Development, for the Sandbox)"
            : null;
    }

    private static void ValidateSmtp(string key, SmtpOptions smtp, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(smtp.Host))
        {
            problems.Add($"{key}:Host: required when a channel is of kind Email");
        }

        if (smtp.Port is < 1 or > 65535)
        {
            problems.Add($"{key}:Port: must be between 1 and 65535");
        }

        if (string.IsNullOrEmpty(smtp.UserName) != string.IsNullOrEmpty(smtp.Password))
        {
            problems.Add($"{key}:UserName, {key}:Password: give both or neither");
        }

        if (!string.IsNullOrEmpty(smtp.UserName) && smtp.Security == SecureSocketOptions.None)
        {
            problems.Add($"{key}:Security: None would send the password unencrypted; use StartTls or SslOnConnect");
        }

        if (smtp.Timeout < TimeSpan.FromMilliseconds(10) || smtp.Timeout > TimeSpan.FromMinutes(10))
        {
            problems.Add($"{key}:Timeout: must be between 00:00:00.010 and 00:10:00");
        }

        if (smtp.ConcurrencyLimit is < 1 or > 256)
        {
            problems.Add($"{key}:ConcurrencyLimit: must be between 1 and 256");
        }

        if (smtp.FailureRatio is <= 0 or > 1)
        {
            problems.Add($"{key}:FailureRatio: must be above 0 and at most 1");
        }

        if (smtp.MinimumThroughput < 2)
        {
            problems.Add($"{key}:MinimumThroughput: must be at least 2");
        }

        foreach (var (setting, duration) in new[] { ("SamplingDuration", smtp.SamplingDuration), ("BreakDuration", smtp.BreakDuration) })
        {
            if (duration < TimeSpan.FromMilliseconds(500) || duration > TimeSpan.FromDays(1))
            {
                problems.Add($"{key}:{setting}: must be between 00:00:00.500 and 1.00:00:00");
            }
        }
    }

    private static bool IsMailbox(string? address) =>
        !string.IsNullOrWhiteSpace(address) && MailboxAddress.TryParse(address, out var mailbox) && mailbox.Domain.Length > 0;

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out var address) && IPAddress.IsLoopback(address));
}
