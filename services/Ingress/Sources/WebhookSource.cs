using System.Collections.Frozen;
using Automation.Ingress.Signatures;

namespace Automation.Ingress.Sources;

/// <summary>One configured source, ready to serve requests: its verifier built from its secrets, its subscriptions,
/// its limits.</summary>
public sealed class WebhookSource(
    string id,
    IWebhookSignatureVerifier verifier,
    FrozenSet<string> events,
    int maxBodyBytes,
    SourceRateLimiter newEvents,
    SourceRateLimiter duplicatesOrIgnored,
    RecentDuplicates recentDuplicates)
{
    /// <summary>The id as configured (the URL segment is matched ignoring case; this spelling is what is stored).</summary>
    public string Id => id;

    public IWebhookSignatureVerifier Verifier => verifier;

    public int MaxBodyBytes => maxBodyBytes;

    /// <summary>The budget of new events (<c>RequestsPerSecond</c>, <c>Burst</c>).</summary>
    public SourceRateLimiter NewEvents => newEvents;

    /// <summary>The budget of requests that store nothing new: duplicates and ignored events.</summary>
    public SourceRateLimiter DuplicatesOrIgnored => duplicatesOrIgnored;

    public RecentDuplicates RecentDuplicates => recentDuplicates;

    public bool Subscribes(string eventType) => events.Contains(eventType);
}
