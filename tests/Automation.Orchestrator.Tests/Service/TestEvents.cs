using Automation.Contracts;

namespace Automation.Orchestrator.Tests.Service;

/// <summary>Webhook events as the Ingress publishes them, each with a new event id.</summary>
public static class TestEvents
{
    public const string Source = "cms";

    public static string NewEventId() => $"evt_{Guid.NewGuid():N}";

    public static ContentStateChanged Content(string eventId, string toState = "published") => new(
        Metadata(eventId, WebhookEventTypes.ContentStateChanged), "c42", "Launch", "draft", toState, "https://example.com/c42",
        new Person("u1", "grace@example.com", "Grace Hopper"));

    public static TaskExecuted Task(string eventId, TaskOutcome status) => new(
        Metadata(eventId, WebhookEventTypes.TaskExecuted), "t7", "nightly-export", status, null, null, "exit code 3");

    private static EventMetadata Metadata(string eventId, string type) =>
        new(Guid.NewGuid(), Source, eventId, type, 1, DateTimeOffset.UtcNow.AddSeconds(-1), DateTimeOffset.UtcNow);
}
