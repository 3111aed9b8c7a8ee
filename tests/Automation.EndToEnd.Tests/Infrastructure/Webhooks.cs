using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Automation.EndToEnd.Tests.Infrastructure;

/// <summary>A platform posting signed webhooks to the Ingress, as source <see cref="ServiceSettings.Source"/>.</summary>
public sealed class Webhooks(HttpClient ingress, string secret)
{
    public static string NewEventId() => $"evt_{Guid.NewGuid():N}";

    /// <summary>Posts the envelope of <paramref name="eventId"/> with <paramref name="data"/> and returns the Ingress's answer.</summary>
    public async Task<Answer> PostAsync(string eventId, string type, JsonObject data)
    {
        var envelope = new JsonObject
        {
            ["id"] = eventId,
            ["type"] = type,
            ["timestamp"] = "2026-11-26T10:00:00Z",
            ["version"] = 1,
            ["data"] = data,
        };
        using var request = SignedWebhook.Hex(ServiceSettings.Source, envelope.ToJsonString(), secret);
        using var response = await ingress.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken);
        return new Answer(response.StatusCode, body!);
    }

    /// <summary>Posts an event the Ingress must accept, and returns its id there (the record id, also the message's id).</summary>
    public async Task<Guid> AcceptedAsync(string eventId, string type, JsonObject data)
    {
        var answer = await PostAsync(eventId, type, data);
        Assert.True(answer.Status == HttpStatusCode.Accepted, $"The Ingress answered {(int)answer.Status} {answer.Body.ToJsonString()}");
        return answer.Id;
    }

    public sealed record Answer(HttpStatusCode Status, JsonObject Body)
    {
        public Guid Id => Guid.Parse(Body["id"]!.GetValue<string>());
    }
}

/// <summary>The data of each event type, as the spec's table has it (a new object each time: a test may change it).</summary>
public static class EventData
{
    public const string ContentStateChanged = "content.state_changed";
    public const string SurveyCompleted = "survey.completed";
    public const string MessageCreated = "conversation.message_created";
    public const string TaskExecuted = "task.executed";

    public static JsonObject Content(string title = "Launch notes") => new()
    {
        ["contentId"] = "cnt_42",
        ["title"] = title,
        ["fromState"] = "review",
        ["toState"] = "published",
        ["url"] = "https://cms.example.com/cnt_42",
        ["author"] = new JsonObject { ["id"] = "u_1", ["email"] = "grace@example.com", ["name"] = "Grace Hopper" },
    };

    public static JsonObject Survey() => new()
    {
        ["surveyId"] = "srv_42",
        ["responseId"] = "rsp_7",
        ["respondent"] = new JsonObject { ["email"] = "ada@example.com", ["name"] = "Ada King Lovelace" },
        ["score"] = 9,
    };

    public static JsonObject Message() => new()
    {
        ["conversationId"] = "conv_3",
        ["messageId"] = "msg_8",
        ["author"] = new JsonObject { ["id"] = "u_2", ["email"] = "alan@example.com", ["name"] = "Alan Turing" },
        ["channel"] = "chat",
        ["text"] = "Can we ship on Friday?",
    };

    public static JsonObject FailedTask() => new()
    {
        ["taskId"] = "task_5",
        ["name"] = "nightly-export",
        ["status"] = "failed",
        ["output"] = "exit code 3",
    };
}
