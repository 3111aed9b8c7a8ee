using WireMock.ResponseBuilders;

namespace Automation.Testing.ExternalApis;

/// <summary>One answer of an external API played by WireMock.Net: the status, a JSON or HTML body, a <c>Retry-After</c>,
/// and a delay before answering (an API that hangs).</summary>
public sealed record ApiReply(int Status, string? Json = null, string? RetryAfter = null, TimeSpan? Delay = null, string? Html = null)
{
    public IResponseBuilder ToResponse()
    {
        var response = Response.Create().WithStatusCode(Status);
        if (Json is not null)
        {
            response = response.WithHeader("Content-Type", "application/json; charset=utf-8").WithBody(Json);
        }

        if (Html is not null)
        {
            response = response.WithHeader("Content-Type", "text/html").WithBody(Html);
        }

        if (RetryAfter is not null)
        {
            response = response.WithHeader("Retry-After", RetryAfter);
        }

        return Delay is { } delay ? response.WithDelay(delay) : response;
    }
}
