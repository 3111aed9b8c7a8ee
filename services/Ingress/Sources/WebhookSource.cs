using System.Collections.Frozen;
using Automation.Ingress.Signatures;

namespace Automation.Ingress.Sources;

/// <summary>One configured source, ready to serve requests: its verifier built from its secrets, its subscriptions,
/// its limits.</summary>
public sealed class WebhookSource(
    string id, IWebhookSignatureVerifier verifier, FrozenSet<string> events, int maxBodyBytes, SourceRateLimiter rateLimiter)
{
    /// <summary>The id as configured (the URL segment is matched ignoring case; this spelling is what is stored).</summary>
    public string Id => id;

    public IWebhookSignatureVerifier Verifier => verifier;

    public int MaxBodyBytes => maxBodyBytes;

    public SourceRateLimiter RateLimiter => rateLimiter;

    public bool Subscribes(string eventType) => events.Contains(eventType);
}
