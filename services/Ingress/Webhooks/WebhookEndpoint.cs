using Automation.Contracts;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Automation.Ingress.Webhooks;

public static class WebhookEndpoint
{
    public static void MapWebhookEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/webhooks/{source}", AcceptAsync);
    }

    private static async Task<IResult> AcceptAsync(
        string source,
        HttpRequest request,
        IOptionsSnapshot<IngressOptions> options,
        IPublishEndpoint publisher,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (!options.Value.Sources.TryGetValue(source, out var settings))
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown source");
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        var body = buffer.ToArray();
        if (!HexSignatureVerifier.IsValid(body, request.Headers["X-Signature"], settings.Secrets))
        {
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");
        }

        var webhookEvent = EnvelopeReader.Read(body, source, clock.GetUtcNow());
        if (webhookEvent is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid envelope");
        }

        await publisher.Publish(webhookEvent, webhookEvent.GetType(), cancellationToken);
        var metadata = webhookEvent.Metadata;
        return Results.Json(new { status = "accepted", id = metadata.Id, eventId = metadata.EventId },
            statusCode: StatusCodes.Status202Accepted);
    }
}
