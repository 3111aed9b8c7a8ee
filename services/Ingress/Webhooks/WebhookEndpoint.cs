using System.Text.Json;
using Automation.Ingress.Signatures;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;

namespace Automation.Ingress.Webhooks;

public static class WebhookEndpoint
{
    public const string Route = "/webhooks/{source}";

    public static RouteHandlerBuilder MapWebhookEndpoint(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost(Route, (string source, HttpContext context, [FromServices] WebhookAcceptance acceptance) =>
                acceptance.AcceptAsync(source, context))
            .WithName("ReceiveWebhook")
            .WithSummary("Receive a signed webhook from a configured source")
            .WithDescription(
                "Verifies the signature over the raw body with the source's scheme, reads the event envelope, and answers 202 "
                + "once the event and its outgoing message are stored in one transaction. Checks run in this order, the first "
                + "failing one answers: source 404, content type 415, size 413, signature 401, envelope 400, subscribed type "
                + "200 ignored, version 422, rate 429, duplicate 200, store 202 or 503. A slow body is answered 408.")
            .Produces<WebhookAnswer>(StatusCodes.Status202Accepted)
            .Produces<WebhookAnswer>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status408RequestTimeout)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            // The body is described here rather than with Accepts(): Accepts() makes routing answer 415 before the
            // handler runs, which would put the content-type check ahead of the unknown-source check.
            .AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
            {
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Description = "The event envelope, signed as the source's scheme requires; verified over these exact bytes.",
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/json"] = new()
                        {
                            Schema = await context.GetOrCreateSchemaAsync(typeof(WebhookEnvelopeDocument), cancellationToken: cancellationToken),
                        },
                    },
                };
                operation.Parameters ??= [];
                foreach (var (name, description) in SignatureHeaders)
                {
                    operation.Parameters.Add(new OpenApiParameter
                    {
                        Name = name,
                        In = ParameterLocation.Header,
                        Required = false,
                        Description = description,
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                    });
                }
            });

    private static readonly (string Name, string Description)[] SignatureHeaders =
    [
        (HexSignatureVerifier.HeaderName, "hmac-sha256-hex: hex HMAC-SHA256 of the raw body."),
        (GitHubSignatureVerifier.HeaderName, "github: sha256=<hex HMAC-SHA256 of the raw body>."),
        (StandardWebhooksVerifier.IdHeader, "standard-webhooks: the message id (signed; recorded beside the event)."),
        (StandardWebhooksVerifier.TimestampHeader, "standard-webhooks: Unix seconds; must be within the source's tolerance."),
        (StandardWebhooksVerifier.SignatureHeader, "standard-webhooks: space-separated v1,<base64 HMAC-SHA256 of id.timestamp.body>."),
    ];
}

/// <summary>The event envelope, as documented in the OpenAPI description (the endpoint reads the raw body itself).</summary>
/// <param name="Id">The source's event id, unique per source (at most 200 characters): the deduplication key.</param>
/// <param name="Type">content.state_changed, survey.completed, conversation.message_created or task.executed.</param>
/// <param name="Timestamp">When the event happened (RFC 3339).</param>
/// <param name="Version">The version of data's schema.</param>
/// <param name="Data">The event's fields, by type and version.</param>
public sealed record WebhookEnvelopeDocument(string Id, string Type, DateTimeOffset Timestamp, int Version, JsonElement Data);
