using System.Text.Json;
using System.Text.Json.Serialization;

namespace Automation.Ingress.Webhooks;

/// <summary>The body of every 2xx answer.</summary>
/// <param name="Status"><c>accepted</c>, <c>duplicate</c> or <c>ignored</c>.</param>
/// <param name="Id">Our id of the event (for a duplicate, the original delivery's).</param>
/// <param name="EventId">The source's id of the event, as in the envelope.</param>
public sealed record WebhookAnswer(string Status, Guid Id, string EventId)
{
    public const string Accepted = "accepted";
    public const string Duplicate = "duplicate";
    public const string Ignored = "ignored";
}

[JsonSerializable(typeof(WebhookAnswer))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
internal sealed partial class WebhookAnswerJsonContext : JsonSerializerContext;
