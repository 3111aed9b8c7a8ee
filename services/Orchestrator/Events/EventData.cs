using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Automation.Contracts;

namespace Automation.Orchestrator.Events;

/// <summary>An event's <c>data</c> as JSON, shaped as the envelope has it: the typed contract without its metadata, in
/// camelCase, enums as camelCase strings (<c>"status": "failed"</c>). Rules' field paths and the stored copy use it.</summary>
public static class EventData
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private static readonly string MetadataName = Json.PropertyNamingPolicy!.ConvertName(nameof(IWebhookEvent.Metadata));

    public static JsonElement Of(IWebhookEvent webhookEvent)
    {
        var data = JsonSerializer.SerializeToNode(webhookEvent, webhookEvent.GetType(), Json)!.AsObject();
        data.Remove(MetadataName);
        return JsonSerializer.SerializeToElement(data, Json);
    }
}
