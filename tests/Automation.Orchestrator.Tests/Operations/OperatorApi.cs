using System.Net;
using System.Text.Json;

namespace Automation.Orchestrator.Tests.Operations;

/// <summary>Calls the operator API and reads its answers as JSON.</summary>
public static class OperatorApi
{
    public static async Task<JsonElement> GetJson(this HttpClient client, string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        return await Read(response, expected);
    }

    public static async Task<JsonElement> PostJson(this HttpClient client, string path, HttpStatusCode expected)
    {
        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), null, TestContext.Current.CancellationToken);
        return await Read(response, expected);
    }

    /// <summary>The <c>errors</c> of a 400 problem, by parameter name.</summary>
    public static IReadOnlyList<string> ErrorNames(this JsonElement problem) =>
        [.. problem.GetProperty("errors").EnumerateObject().Select(error => error.Name)];

    public static async Task<JsonElement> Read(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        if ((int)expected >= 400)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    public static IEnumerable<string?> Strings(this JsonElement array, string property) =>
        array.EnumerateArray().Select(item => item.GetProperty(property).GetString());
}
