namespace Automation.Sandbox;

/// <summary>How each stand-in API is mapped: under its own prefix (a connector's base URL is
/// <c>http://sandbox/&lt;api&gt;</c>), every call through <see cref="StandInCallFilter"/>.</summary>
public static class StandInApis
{
    /// <summary>Maps the endpoints of one stand-in API under <c>/{api}</c>. <paramref name="idempotencyKeyOf"/> finds a
    /// call's key (from the body and the request); by default the <c>Idempotency-Key</c> header.</summary>
    public static RouteGroupBuilder MapStandIn(this IEndpointRouteBuilder app, string api,
        Func<HttpRequest, string, string?>? idempotencyKeyOf = null) =>
        app.MapGroup($"/{api}")
            .AddEndpointFilter(new StandInCallFilter(api, idempotencyKeyOf ?? HeaderKey))
            .WithTags(api);

    /// <summary>Marks an endpoint that only reads, though not by GET (a search sent as POST): its calls are recorded with
    /// their key but always answered afresh, never from an earlier call with the same key.</summary>
    public static RouteHandlerBuilder AsLookup(this RouteHandlerBuilder endpoint) => endpoint.WithMetadata(StandInLookup.Instance);

    public static string? HeaderKey(HttpRequest request, string body) =>
        request.Headers.TryGetValue("Idempotency-Key", out var key) && !string.IsNullOrEmpty(key) ? key.ToString() : null;
}

/// <summary>Endpoint metadata of <see cref="StandInApis.AsLookup"/>.</summary>
public sealed class StandInLookup
{
    public static readonly StandInLookup Instance = new();

    private StandInLookup()
    {
    }
}
