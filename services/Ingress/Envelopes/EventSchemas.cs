using System.Collections.Frozen;
using Automation.Contracts;

namespace Automation.Ingress.Envelopes;

/// <summary>Turns an envelope's <c>data</c> of one version into the type's contract, recording field errors as it goes.</summary>
public delegate IWebhookEvent EventDataReader(JsonObjectReader data, EventMetadata metadata);

/// <summary>Every (type, version) of <c>data</c> the ingress reads, and the reader that maps it onto the type's one
/// internal contract. A new version is a new reader here (upcasting); consumers keep their contract.</summary>
public static class EventSchemas
{
    private static readonly FrozenDictionary<string, FrozenDictionary<int, EventDataReader>> Readers =
        new Dictionary<string, FrozenDictionary<int, EventDataReader>>(StringComparer.Ordinal)
        {
            [WebhookEventTypes.ContentStateChanged] = Versions(
                (1, ContentStateChangedData.ReadVersion1),
                (2, ContentStateChangedData.ReadVersion2)),
            [WebhookEventTypes.SurveyCompleted] = Versions((1, SurveyCompletedData.ReadVersion1)),
            [WebhookEventTypes.ConversationMessageCreated] = Versions((1, ConversationMessageCreatedData.ReadVersion1)),
            [WebhookEventTypes.TaskExecuted] = Versions((1, TaskExecutedData.ReadVersion1)),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    public static IEnumerable<string> KnownTypes => Readers.Keys;

    public static bool IsKnownType(string type) => Readers.ContainsKey(type);

    public static IEnumerable<int> VersionsOf(string type) =>
        Readers.TryGetValue(type, out var versions) ? versions.Keys.Order() : [];

    public static bool TryGetReader(string type, int version, out EventDataReader reader)
    {
        reader = null!;
        return Readers.TryGetValue(type, out var versions) && versions.TryGetValue(version, out reader!);
    }

    private static FrozenDictionary<int, EventDataReader> Versions(params (int Version, EventDataReader Reader)[] readers) =>
        readers.ToFrozenDictionary(entry => entry.Version, entry => entry.Reader);
}
