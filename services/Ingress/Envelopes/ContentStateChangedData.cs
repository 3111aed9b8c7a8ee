using Automation.Contracts;

namespace Automation.Ingress.Envelopes;

/// <summary><c>content.state_changed</c> data, in each version the ingress reads.</summary>
internal static class ContentStateChangedData
{
    /// <summary>Version 1: <c>{contentId, title, fromState, toState, url, author}</c>.</summary>
    public static IWebhookEvent ReadVersion1(JsonObjectReader data, EventMetadata metadata) =>
        new ContentStateChanged(
            metadata,
            data.RequiredString("contentId"),
            data.OptionalString("title"),
            data.RequiredString("fromState"),
            data.RequiredString("toState"),
            data.OptionalString("url"),
            PersonData.ReadOptional(data.OptionalObject("author")));

    /// <summary>Version 2 moved the states into a <c>transition {from, to}</c> object; it is upcast onto the same
    /// contract as version 1, so no consumer changes.</summary>
    public static IWebhookEvent ReadVersion2(JsonObjectReader data, EventMetadata metadata)
    {
        var transition = data.RequiredObject("transition");
        return new ContentStateChanged(
            metadata,
            data.RequiredString("contentId"),
            data.OptionalString("title"),
            transition.RequiredString("from"),
            transition.RequiredString("to"),
            data.OptionalString("url"),
            PersonData.ReadOptional(data.OptionalObject("author")));
    }
}
