namespace Automation.Contracts;

/// <summary><c>task.executed</c>: a task ran, successfully or not.</summary>
public sealed record TaskExecuted(
    EventMetadata Metadata,
    string TaskId,
    string Name,
    TaskOutcome Status,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Output) : IWebhookEvent;

public enum TaskOutcome
{
    Succeeded,
    Failed,
}
