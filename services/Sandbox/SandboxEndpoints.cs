namespace Automation.Sandbox;

/// <summary>Stand-ins for the external APIs (CRM, CI, Slack) for local runs without credentials.</summary>
public static class SandboxEndpoints
{
    public static WebApplication MapSandbox(this WebApplication app)
    {
        app.MapGet("/sandbox/calls", (RecordedCalls calls) => calls.All);
        app.MapPost("/{**path}", async (HttpRequest request, RecordedCalls calls, TimeProvider clock) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
            calls.Add(new RecordedCall(clock.GetUtcNow(), request.Method, request.Path, request.Headers["Idempotency-Key"], body));
            return Results.Ok(new { recorded = true });
        });
        return app;
    }
}
