namespace Automation.Ingress.Sources;

/// <summary>The sources that may post webhooks and how requests are read. Configuration section <c>Ingress</c>;
/// reloaded without a restart (see <see cref="SourceCatalog"/>).</summary>
public sealed class IngressOptions
{
    public const string SectionName = "Ingress";

    /// <summary>The sending platforms, by id: the <c>{source}</c> of <c>POST /webhooks/{source}</c>.</summary>
    public Dictionary<string, SourceOptions> Sources { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long a sender may take to deliver the body before it is answered 408 (slow senders).</summary>
    public TimeSpan BodyReadTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The <c>Retry-After</c> of a 503, when the event could not be stored.</summary>
    public TimeSpan UnavailableRetryAfter { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>One sending platform: how it signs, with which secrets, what it may send and how much.</summary>
public sealed class SourceOptions
{
    public const int DefaultMaxBodyBytes = 256 * 1024;

    /// <summary><c>hmac-sha256-hex</c>, <c>standard-webhooks</c> or <c>github</c>.</summary>
    public string? Scheme { get; set; }

    /// <summary>The active secrets; a request signed with any of them is valid, so a secret is rotated by adding the
    /// new one, moving the sender over, then removing the old one. Standard Webhooks secrets are written
    /// <c>whsec_&lt;base64 key&gt;</c>; the others are used as UTF-8 text.</summary>
    public List<string> Secrets { get; set; } = [];

    /// <summary>The subscribed event types; other types are answered 200 <c>ignored</c>, recorded, never published.</summary>
    public List<string> Events { get; set; } = [];

    public int MaxBodyBytes { get; set; } = DefaultMaxBodyBytes;

    /// <summary>How much larger the budget of duplicates and ignored events is than that of new events, by default.</summary>
    public const int DefaultRepeatFactor = 10;

    /// <summary>Sustained new events per second accepted from this source (after verification); more get 429. Duplicates
    /// and ignored events do not count here (see <see cref="DuplicateOrIgnoredPerSecond"/>).</summary>
    public double RequestsPerSecond { get; set; } = 100;

    /// <summary>How many new events may arrive at once above the sustained rate; defaults to one second's worth.</summary>
    public int? Burst { get; set; }

    /// <summary>Sustained duplicates and ignored events per second (the requests that store nothing new): a budget of
    /// their own, so a captured request replayed at will cannot throttle the sender's new events. Defaults to
    /// <see cref="DefaultRepeatFactor"/> times <see cref="RequestsPerSecond"/>.</summary>
    public double? DuplicateOrIgnoredPerSecond { get; set; }

    /// <summary>How many duplicates and ignored events may arrive at once; defaults to one second's worth.</summary>
    public int? DuplicateOrIgnoredBurst { get; set; }

    /// <summary>Standard Webhooks: how far <c>webhook-timestamp</c> may be from our clock, either way (inclusive).</summary>
    public TimeSpan TimestampTolerance { get; set; } = TimeSpan.FromMinutes(5);
}
