using System.Text.Json;
using Automation.Contracts;

namespace Automation.Ingress.Webhooks;

/// <summary>Reads the envelope and turns its data into the typed event of its type.</summary>
public static class EnvelopeReader
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IWebhookEvent? Read(byte[] body, string source, DateTimeOffset receivedAt)
    {
        var envelope = JsonSerializer.Deserialize<Envelope>(body, Json);
        if (envelope is null || envelope.Id is null || envelope.Type is null)
        {
            return null;
        }

        var metadata = new EventMetadata(Guid.CreateVersion7(receivedAt), source, envelope.Id, envelope.Type,
            envelope.Version, envelope.Timestamp, receivedAt);
        var data = envelope.Data;
        return envelope.Type switch
        {
            "content.state_changed" => new ContentStateChanged(metadata, Text(data, "contentId"), Text(data, "title"),
                Text(data, "fromState"), Text(data, "toState"), Text(data, "url"), null),
            "survey.completed" => new SurveyCompleted(metadata, Text(data, "surveyId"), Text(data, "responseId"),
                new Person(null, Text(data.GetProperty("respondent"), "email"), null), null, []),
            "conversation.message_created" => new ConversationMessageCreated(metadata, Text(data, "conversationId"),
                Text(data, "messageId"), null, Text(data, "channel"), Text(data, "text")),
            "task.executed" => new TaskExecuted(metadata, Text(data, "taskId"), Text(data, "name"),
                Text(data, "status") == "failed" ? TaskOutcome.Failed : TaskOutcome.Succeeded, null, null, null),
            _ => null,
        };
    }

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private sealed record Envelope(string? Id, string? Type, DateTimeOffset Timestamp, int Version, JsonElement Data);
}
