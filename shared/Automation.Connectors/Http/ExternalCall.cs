using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace Automation.Connectors;

/// <summary>Sends a step's request to an external system and turns every way it can go wrong into a
/// <see cref="TransientStepException"/> (retry later) or a <see cref="PermanentStepException"/> (fault now), so a connector
/// never decides that again and a failure never escapes as something the retry policies do not know.</summary>
public static class ExternalCall
{
    /// <summary>The header that carries a step's idempotency key on every outbound call (spec), unless the API has a field
    /// of its own for it.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    private const int ExcerptLength = 300;

    /// <summary>Sends <paramref name="request"/>; returns the response when it is a success (2xx) or one of
    /// <paramref name="handledStatuses"/>.</summary>
    /// <param name="operation">What the call does, for the failure's message, e.g. <c>HubSpot contact upsert</c>.</param>
    /// <param name="handledStatuses">Failure statuses the caller reads as an answer, e.g. 404 for a deletion (already gone).</param>
    public static async Task<HttpResponseMessage> SendAsync(this HttpClient client, HttpRequestMessage request, string operation,
        CancellationToken cancellationToken, params HttpStatusCode[] handledStatuses)
    {
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, cancellationToken);
        }
        catch (TimeoutRejectedException exception)
        {
            throw new TransientStepException($"{operation}: no answer within {exception.Timeout.TotalSeconds:0.#} s", null, exception);
        }
        catch (BrokenCircuitException exception)
        {
            throw new TransientStepException($"{operation}: the system failed repeatedly; calls are paused", null, exception);
        }
        catch (RateLimiterRejectedException exception)
        {
            throw new TransientStepException($"{operation}: too many calls in flight", exception.RetryAfter, exception);
        }
        catch (HttpRequestException exception)
        {
            throw new TransientStepException($"{operation}: the request failed ({exception.HttpRequestError})", null, exception);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TransientStepException($"{operation}: the call was cut short", null, exception);
        }

        if (response.IsSuccessStatusCode || handledStatuses.Contains(response.StatusCode))
        {
            return response;
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var reason = $"{operation}: {status} {response.ReasonPhrase}{await ExcerptAsync(response, cancellationToken)}";
            if (IsTransient(status))
            {
                throw new TransientStepException(reason, RetryAfterOf(response));
            }

            throw new PermanentStepException(reason);
        }
    }

    /// <summary>Reads a success response's JSON body; a body that is not the expected JSON is a permanent failure (the same
    /// answer would come again), never an exception the consumer would crash on.</summary>
    public static async Task<T> ReadJsonAsync<T>(this HttpResponseMessage response, string operation, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(cancellationToken)
                ?? throw new PermanentStepException($"{operation}: the answer had no body");
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException)
        {
            throw new PermanentStepException($"{operation}: the answer was not the expected JSON ({exception.Message})", exception);
        }
    }

    /// <summary>408 Request Timeout, 425 Too Early, 429 Too Many Requests and every 5xx may pass; other answers will not.</summary>
    public static bool IsTransient(int status) => status is 408 or 425 or 429 or >= 500;

    private static TimeSpan? RetryAfterOf(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is { Ticks: > 0 } wait ? wait : TimeSpan.Zero,
        _ => null,
    };

    private static async Task<string> ExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        body = body.ReplaceLineEndings(" ").Trim();
        return body.Length switch
        {
            0 => "",
            > ExcerptLength => $": {body[..ExcerptLength]}…",
            _ => $": {body}",
        };
    }
}
