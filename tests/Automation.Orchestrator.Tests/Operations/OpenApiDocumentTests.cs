using System.Text.Json;

namespace Automation.Orchestrator.Tests.Operations;

/// <summary>The service's OpenAPI document describes every route of the operator API, its parameters and answers, and
/// the bearer key it needs, on the management port only.</summary>
public sealed class OpenApiDocumentTests(OperationsService service) : IClassFixture<OperationsService>
{
    [Fact]
    public async Task The_openapi_document_describes_every_operator_route_its_answers_and_the_bearer_key()
    {
        using var client = service.CreateManagementClient();

        var document = await client.GetJson("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        Assert.Equal(
        [
            "/operations/audit", "/operations/audit/{id}", "/operations/dead-letters", "/operations/dead-letters/{queue}",
            "/operations/dead-letters/{queue}/redrive", "/operations/events", "/operations/events/replay", "/operations/events/{id}",
            "/operations/events/{id}/replay", "/operations/summary",
        ], paths.EnumerateObject().Select(path => path.Name).Where(path => path.StartsWith("/operations", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        var search = paths.GetProperty("/operations/events").GetProperty("get");
        Assert.Equal(["source", "type", "eventId", "status", "from", "to", "limit", "cursor"],
            search.GetProperty("parameters").EnumerateArray().Select(parameter => parameter.GetProperty("name").GetString()));
        Assert.Equal(["200", "400", "401"], Responses(search));
        Assert.Equal(["202", "400", "401", "404", "409"], Responses(paths.GetProperty("/operations/events/{id}/replay").GetProperty("post")));
        Assert.Equal(["200", "400", "401", "404", "503"], Responses(paths.GetProperty("/operations/dead-letters/{queue}/redrive").GetProperty("post")));
        Assert.Equal("#/components/schemas/ReplayView", paths.GetProperty("/operations/events/replay").GetProperty("post").GetProperty("responses")
            .GetProperty("202").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("OperatorKey");
        Assert.Equal(("http", "bearer"), (scheme.GetProperty("type").GetString(), scheme.GetProperty("scheme").GetString()));
        Assert.Equal("OperatorKey", document.GetProperty("security")[0].EnumerateObject().Single().Name);
    }

    [Fact]
    public async Task The_public_port_does_not_serve_the_openapi_document()
    {
        using var client = service.CreateClient();

        using var response = await client.GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken);

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }

    private static IReadOnlyList<string> Responses(JsonElement operation) =>
        [.. operation.GetProperty("responses").EnumerateObject().Select(response => response.Name).Order(StringComparer.Ordinal)];
}
