using System.Globalization;
using Microsoft.AspNetCore.Mvc;

namespace Automation.Ingress.Webhooks;

/// <summary>The answers of <c>POST /webhooks/{source}</c>: <see cref="WebhookAnswer"/> bodies for 2xx, problem
/// details (<c>application/problem+json</c>) for the rest. A 401 says nothing of why.</summary>
public static class WebhookAnswers
{
    public static IResult Accepted(Guid id, string eventId) => Answer(StatusCodes.Status202Accepted, WebhookAnswer.Accepted, id, eventId);

    public static IResult Duplicate(Guid id, string eventId) => Answer(StatusCodes.Status200OK, WebhookAnswer.Duplicate, id, eventId);

    public static IResult Ignored(Guid id, string eventId) => Answer(StatusCodes.Status200OK, WebhookAnswer.Ignored, id, eventId);

    public static IResult UnknownSource() =>
        Problem(StatusCodes.Status404NotFound, "Unknown source", "No source of that id is configured.");

    public static IResult UnsupportedMediaType() =>
        Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
            "The body must be JSON: Content-Type application/json (with charset utf-8, if a charset is given).");

    public static IResult TooLarge(int limit) =>
        Problem(StatusCodes.Status413PayloadTooLarge, "Body too large",
            string.Create(CultureInfo.InvariantCulture, $"This source accepts bodies of at most {limit} bytes."));

    public static IResult TimedOut(TimeSpan timeout) =>
        Problem(StatusCodes.Status408RequestTimeout, "Request timeout",
            string.Create(CultureInfo.InvariantCulture, $"The body did not arrive within {timeout.TotalSeconds:0.###} seconds."));

    public static IResult Unreadable() =>
        Problem(StatusCodes.Status400BadRequest, "Bad request", "The request body could not be read to its end.");

    public static IResult Unauthorized() => Problem(StatusCodes.Status401Unauthorized, "Unauthorized", detail: null);

    /// <param name="errors">What is wrong, by JSON path.</param>
    /// <param name="omitted">How many more errors were found than <paramref name="errors"/> names (answered as
    /// <c>omittedErrors</c> when there are any).</param>
    public static IResult InvalidEnvelope(IReadOnlyDictionary<string, string> errors, int omitted)
    {
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "Invalid envelope",
            Detail = "The body is not a valid event envelope; errors names each field (as a JSON path) and what is wrong with it.",
        };
        problem.Extensions["errors"] = errors;
        if (omitted > 0)
        {
            problem.Extensions["omittedErrors"] = omitted;
        }

        return TypedResults.Problem(problem);
    }

    public static IResult UnknownVersion(string type, int version, IEnumerable<int> known) =>
        Problem(StatusCodes.Status422UnprocessableEntity, "Unknown version",
            string.Create(CultureInfo.InvariantCulture,
                $"Version {version} of {type} is unknown here; the versions read are {string.Join(", ", known)}."));

    public static IResult RateLimited(HttpResponse response, TimeSpan retryAfter)
    {
        SetRetryAfter(response, retryAfter);
        return Problem(StatusCodes.Status429TooManyRequests, "Too many requests",
            "This source sends more than its configured rate; retry after the Retry-After delay.");
    }

    public static IResult Unavailable(HttpResponse response, TimeSpan retryAfter)
    {
        SetRetryAfter(response, retryAfter);
        return Problem(StatusCodes.Status503ServiceUnavailable, "Service unavailable",
            "The event could not be stored, so it is not accepted; send it again after the Retry-After delay.");
    }

    private static IResult Answer(int status, string answer, Guid id, string eventId) =>
        TypedResults.Json(new WebhookAnswer(answer, id, eventId), WebhookAnswerJsonContext.Default.WebhookAnswer, statusCode: status);

    private static IResult Problem(int status, string title, string? detail) =>
        TypedResults.Problem(new ProblemDetails { Status = status, Title = title, Detail = detail });

    /// <summary>Whole seconds, rounded up, at least one: a client that waits that long will find room.</summary>
    private static void SetRetryAfter(HttpResponse response, TimeSpan retryAfter) =>
        response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
