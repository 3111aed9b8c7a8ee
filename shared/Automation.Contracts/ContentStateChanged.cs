namespace Automation.Contracts;

/// <summary><c>content.state_changed</c>: a piece of content moved between workflow states.</summary>
public sealed record ContentStateChanged(
    EventMetadata Metadata,
    string ContentId,
    string? Title,
    string FromState,
    string ToState,
    string? Url,
    Person? Author) : IWebhookEvent;
