using MailKit.Security;

namespace Automation.Notifier.Channels;

/// <summary>Where notifications go. Configuration section <c>Notifier</c>: the channels a rule's <c>notify</c> step names
/// (<c>Notifier:Channels:{name}</c>) and the SMTP server the e-mail channels send through (<c>Notifier:Smtp</c>). Validated
/// at start by <see cref="NotifierOptionsValidator"/>.</summary>
public sealed class NotifierOptions
{
    public const string SectionName = "Notifier";

    /// <summary>By name, as rules write it; names are compared ignoring case, like every configuration key.</summary>
    public Dictionary<string, ChannelOptions> Channels { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public SmtpOptions Smtp { get; set; } = new();
}

public enum ChannelKind
{
    /// <summary>A Slack incoming webhook.</summary>
    Slack,

    /// <summary>E-mail over SMTP (<see cref="NotifierOptions.Smtp"/>).</summary>
    Email,
}

/// <summary>One channel: <c>Notifier:Channels:{name}</c>.</summary>
public sealed class ChannelOptions
{
    public ChannelKind? Kind { get; set; }

    /// <summary>Slack: the incoming webhook's URL (<c>https://hooks.slack.com/services/…</c>). A secret: whoever has it can
    /// post to the channel, so it is never logged, traced or shown in an error.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>E-mail: the sender, e.g. <c>Automation &lt;automation@example.com&gt;</c>.</summary>
    public string? From { get; set; }

    /// <summary>E-mail: the recipients (at least one).</summary>
    public string[]? To { get; set; }

    /// <summary>E-mail: the subject's template (values escaped for a header); by default the message's first line.</summary>
    public string? Subject { get; set; }
}

/// <summary>The SMTP server of the e-mail channels: <c>Notifier:Smtp</c>. MailKit is not an HttpClient, so the connector
/// kit's HTTP resilience does not apply: the same protections (a timeout per e-mail, a concurrency limit, a circuit breaker)
/// are configured here and run as a Polly pipeline around each send.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }

    /// <summary>Default 587 (submission with STARTTLS).</summary>
    public int Port { get; set; } = 587;

    /// <summary><c>StartTls</c> (default), <c>SslOnConnect</c> (port 465), <c>StartTlsWhenAvailable</c>, <c>Auto</c>, or
    /// <c>None</c> (plain text: only for a local sink, and never with credentials).</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.StartTls;

    /// <summary>With <see cref="Password"/>, when the server requires authentication; both or neither.</summary>
    public string? UserName { get; set; }

    /// <summary>A secret: never logged or shown in an error.</summary>
    public string? Password { get; set; }

    /// <summary>How long one e-mail (connect, authenticate, send) may take before it counts as a transient failure.
    /// Default 30 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>E-mails sent at once; more wait in line. Default 4: SMTP servers limit connections.</summary>
    public int ConcurrencyLimit { get; set; } = 4;

    /// <summary>Share of transient failures over <see cref="SamplingDuration"/> that opens the circuit: sends then fail at
    /// once, as transient, for <see cref="BreakDuration"/>. Default 0.5.</summary>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Sends in <see cref="SamplingDuration"/> before the circuit may open. Default 10.</summary>
    public int MinimumThroughput { get; set; } = 10;

    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);
}
