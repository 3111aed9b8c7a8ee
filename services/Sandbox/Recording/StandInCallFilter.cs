using System.Collections.Concurrent;

namespace Automation.Sandbox;

/// <summary>Wraps every endpoint of one stand-in API: records the call, gives the failures the sandbox was told to give,
/// and honours idempotency keys as the spec asks of the real systems — a repeated key (same API, method and path) gets the
/// first answer again and has no second effect, also when the twin arrives while the first is still being handled.</summary>
public sealed class StandInCallFilter(string api, Func<HttpRequest, string, string?> idempotencyKeyOf) : IEndpointFilter
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> KeyLocks = new(StringComparer.Ordinal);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var request = http.Request;
        var services = http.RequestServices;
        var ledger = services.GetRequiredService<SandboxLedger>();
        var clock = services.GetRequiredService<TimeProvider>();
        var body = await ReadBodyAsync(request);
        var key = idempotencyKeyOf(request, body);
        var path = request.Path.Value ?? "";
        void Record(int status, string effect) =>
            ledger.Record(new RecordedCall(clock.GetUtcNow(), api, request.Method, path, key, body, status, effect));

        var failure = services.GetRequiredService<PlannedFailures>().TakeFor(api, request.Method, path);
        if (failure is { AfterEffect: false })
        {
            return await FailAsync(failure, http, Record);
        }

        if (key is null || HttpMethods.IsGet(request.Method) || http.GetEndpoint()?.Metadata.GetMetadata<StandInLookup>() is not null)
        {
            var answer = await next(context);
            Record(StatusOf(answer), Effect(answer));
            return failure is null ? answer : await FailAsync(failure, http, Record);
        }

        var scope = $"{api} {request.Method} {path} {key}";
        var keyLock = KeyLocks.GetOrAdd(scope, _ => new SemaphoreSlim(1, 1));
        await keyLock.WaitAsync(http.RequestAborted);
        try
        {
            if (ledger.TryGetAnswer(scope, out var first))
            {
                Record(StatusOf(first), SandboxLedger.Replayed);
                return first;
            }

            var answer = await next(context);
            Record(StatusOf(answer), Effect(answer));
            if (answer is IResult result && StatusOf(answer) < 500)
            {
                ledger.RememberAnswer(scope, result);
            }

            return failure is null ? answer : await FailAsync(failure, http, Record);
        }
        finally
        {
            keyLock.Release();
        }
    }

    private static async Task<object?> FailAsync(PlannedFailure failure, HttpContext http, Action<int, string> record)
    {
        if (failure.Hang)
        {
            record(0, SandboxLedger.Failed);
            await Task.Delay(Timeout.Infinite, http.RequestAborted);
        }

        if (failure.Malformed)
        {
            record(200, SandboxLedger.Failed);
            return Results.Text("<html><body>Service temporarily rerouted</body></html>", "text/html", statusCode: 200);
        }

        if (failure.RetryAfterSeconds is { } seconds)
        {
            http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        record(failure.Status, SandboxLedger.Failed);
        return Results.Text(failure.Body ?? $$"""{"status":"error","message":"planned failure {{failure.Status}}"}""",
            "application/json", statusCode: failure.Status);
    }

    private static async Task<string> ReadBodyAsync(HttpRequest request)
    {
        request.EnableBuffering();
        using var reader = new StreamReader(request.Body, leaveOpen: true);
        var body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        request.Body.Position = 0;
        return body;
    }

    private static int StatusOf(object? answer) => answer is IStatusCodeHttpResult { StatusCode: { } status } ? status : 200;

    private static string Effect(object? answer) => StatusOf(answer) < 400 ? SandboxLedger.Applied : SandboxLedger.Refused;
}
