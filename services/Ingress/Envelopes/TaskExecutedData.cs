using Automation.Contracts;

namespace Automation.Ingress.Envelopes;

/// <summary><c>task.executed</c> data.</summary>
internal static class TaskExecutedData
{
    private const string Succeeded = "succeeded";
    private const string Failed = "failed";

    /// <summary>Version 1: <c>{taskId, name, status (succeeded | failed), startedAt, finishedAt, output}</c>.</summary>
    public static IWebhookEvent ReadVersion1(JsonObjectReader data, EventMetadata metadata) =>
        new TaskExecuted(
            metadata,
            data.RequiredString("taskId"),
            data.RequiredString("name"),
            data.RequiredChoice("status", Succeeded, Failed) == Failed ? TaskOutcome.Failed : TaskOutcome.Succeeded,
            data.OptionalTimestamp("startedAt"),
            data.OptionalTimestamp("finishedAt"),
            data.OptionalString("output"));
}
