using Automation.Contracts;

namespace Automation.Orchestrator.Tests.Operations;

/// <summary>Webhook events as the Ingress publishes them, from a source of the test's own (so a search sees only its
/// events) and received when the test says.</summary>
public static class OperationsEvents
{
    public static string NewSource() => $"src-{Guid.NewGuid():N}"[..20];

    public static string NewEventId() => $"evt_{Guid.NewGuid():N}";

    public static ContentStateChanged Content(string source, string eventId, DateTimeOffset? receivedAt = null) => new(
        Metadata(source, eventId, WebhookEventTypes.ContentStateChanged, receivedAt), "c42", "Launch", "draft", "published",
        "https://example.com/c42", new Person("u1", "grace@example.com", "Grace Hopper"));

    public static TaskExecuted FailedTask(string source, string eventId, DateTimeOffset? receivedAt = null) => new(
        Metadata(source, eventId, WebhookEventTypes.TaskExecuted, receivedAt), "t7", "nightly-export", TaskOutcome.Failed, null, null, "exit code 3");

    private static EventMetadata Metadata(string source, string eventId, string type, DateTimeOffset? receivedAt)
    {
        var received = receivedAt ?? DateTimeOffset.UtcNow;
        return new(Guid.NewGuid(), source, eventId, type, 1, received.AddSeconds(-1), received);
    }
}
