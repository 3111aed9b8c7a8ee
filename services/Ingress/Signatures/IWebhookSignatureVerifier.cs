namespace Automation.Ingress.Signatures;

/// <summary>Checks that a request was signed by its source with one of the source's active keys. Implementations
/// answer only valid or not: why a signature failed is never told to the caller nor written anywhere.</summary>
public interface IWebhookSignatureVerifier
{
    /// <summary>The scheme's configuration name, recorded with each stored event.</summary>
    string Scheme { get; }

    /// <param name="headers">The request headers as received.</param>
    /// <param name="body">The exact raw bytes of the body.</param>
    SignatureCheck Verify(IHeaderDictionary headers, ReadOnlySpan<byte> body);
}

/// <summary>The outcome of a signature check.</summary>
/// <param name="IsValid">True when a signature matched one of the keys (and, where signed, the timestamp is in tolerance).</param>
/// <param name="WebhookId">Standard Webhooks' <c>webhook-id</c>, recorded beside the event; null for the other schemes.</param>
public readonly record struct SignatureCheck(bool IsValid, string? WebhookId)
{
    public static SignatureCheck Invalid => default;

    public static SignatureCheck Valid(string? webhookId = null) => new(true, webhookId);
}
