using OpenTelemetry.Instrumentation.Http;

namespace Automation.Notifier.Slack;

/// <summary>Keeps the webhook URLs' secret out of traces: an incoming webhook's path is its credential
/// (<c>/services/T…/B…/secret</c>), and the HTTP client spans would record it whole as <c>url.full</c>.</summary>
public static class WebhookUrlRedaction
{
    public const string Redacted = "***";

    public static IServiceCollection AddTelemetryWithoutSecretUrls(this IServiceCollection services) =>
        services.Configure<HttpClientTraceInstrumentationOptions>(options =>
        {
            var enrich = options.EnrichWithHttpRequestMessage;
            options.EnrichWithHttpRequestMessage = (activity, request) =>
            {
                enrich?.Invoke(activity, request);
                if (request.RequestUri is { } uri)
                {
                    activity.SetTag("url.full", Redact(uri));
                }
            };
        });

    /// <summary>The URL with everything after its first path segment replaced, e.g.
    /// <c>https://hooks.slack.com/services/***</c>: where the call went, not how to call it again.</summary>
    public static string Redact(Uri uri)
    {
        var firstSegment = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return firstSegment is null
            ? uri.GetLeftPart(UriPartial.Authority)
            : $"{uri.GetLeftPart(UriPartial.Authority)}/{firstSegment}/{Redacted}";
    }
}
