using System.Text.Json;

namespace Automation.Sandbox.HubSpot;

/// <summary>HubSpot's error answers: <c>{"status":"error","message":…,"correlationId":…,"category":…}</c>.</summary>
internal static class HubSpotErrors
{
    public static IResult Of(int status, string category, string message) =>
        Results.Json(new { status = "error", message, correlationId = Guid.NewGuid(), category }, statusCode: status);

    public static IResult Validation(string message) => Of(StatusCodes.Status400BadRequest, "VALIDATION_ERROR", message);

    public static IResult NotFound(string id) =>
        Of(StatusCodes.Status404NotFound, "OBJECT_NOT_FOUND", $"Object not found.  objectId are usually numeric. ({id})");

    public static IResult Unauthorized() => Of(StatusCodes.Status401Unauthorized, "INVALID_AUTHENTICATION",
        "Authentication credentials not found. This API supports OAuth 2.0 authentication and private app access tokens.");

    /// <summary>Reads a request body as <typeparamref name="T"/>, or the 400 HubSpot gives for JSON it cannot read.</summary>
    public static async Task<(T? Body, IResult? Refusal)> ReadAsync<T>(HttpRequest request)
        where T : class
    {
        try
        {
            var body = await request.ReadFromJsonAsync<T>(JsonSerializerOptions.Web, request.HttpContext.RequestAborted);
            return body is null ? (null, Validation("Invalid input JSON: the body is empty")) : (body, null);
        }
        catch (JsonException exception)
        {
            return (null, Validation($"Invalid input JSON on line {exception.LineNumber}, position {exception.BytePositionInLine}"));
        }
    }
}
