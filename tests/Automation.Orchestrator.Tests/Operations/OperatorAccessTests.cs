using System.Net;
using System.Net.Http.Headers;

namespace Automation.Orchestrator.Tests.Operations;

/// <summary>Every route of the operator API needs an operator's key, and says so with a 401 problem and a Bearer challenge.</summary>
public sealed class OperatorAccessTests(OperationsService service) : IClassFixture<OperationsService>
{
    public static TheoryData<string> Routes =>
    [
        "GET /operations/events",
        $"GET /operations/events/{Guid.NewGuid()}",
        $"POST /operations/events/{Guid.NewGuid()}/replay",
        "POST /operations/events/replay?status=failed",
        "GET /operations/audit",
        "GET /operations/dead-letters",
        "GET /operations/dead-letters/crm-sync-log-crm-activity_error",
        "POST /operations/dead-letters/crm-sync-log-crm-activity_error/redrive",
        "GET /operations/summary",
    ];

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_request_without_a_key_is_answered_401_with_a_bearer_challenge(string route)
    {
        using var client = service.CreateClient();

        using var response = await client.SendAsync(Request(route), TestContext.Current.CancellationToken);

        await OperatorApi.Read(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    public static TheoryData<string> WrongKeys =>
    [
        "not-a-key",
        new string('x', OperationsService.AdaKey.Length),
        OperationsService.AdaKey + "x",
        OperationsService.AdaKey[..^1],
        OperationsService.AdaKey.ToUpperInvariant(),
        OperationsService.GraceKey[..OperationsService.AdaKey.Length],
    ];

    [Theory]
    [MemberData(nameof(WrongKeys))]
    public async Task A_wrong_key_is_answered_401_whatever_its_length(string key)
    {
        using var client = service.Operator(key);

        using var response = await client.GetAsync(new Uri("/operations/events", UriKind.Relative), TestContext.Current.CancellationToken);

        var problem = await OperatorApi.Read(response, HttpStatusCode.Unauthorized);
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
        Assert.DoesNotContain(key, problem.GetRawText(), StringComparison.Ordinal);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    [Theory]
    [InlineData("Basic")]
    [InlineData("Token")]
    public async Task A_right_key_under_another_scheme_is_answered_401(string scheme)
    {
        using var client = service.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(scheme, OperationsService.AdaKey);

        using var response = await client.GetAsync(new Uri("/operations/events", UriKind.Relative), TestContext.Current.CancellationToken);

        await OperatorApi.Read(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Each_operators_key_opens_the_api()
    {
        foreach (var key in new[] { OperationsService.AdaKey, OperationsService.GraceKey })
        {
            using var client = service.Operator(key);

            var page = await client.GetJson("/operations/events");

            Assert.Equal(System.Text.Json.JsonValueKind.Array, page.GetProperty("items").ValueKind);
        }
    }

    [Fact]
    public async Task Health_and_liveness_need_no_key()
    {
        using var client = service.CreateClient();

        using var response = await client.GetAsync(new Uri("/health/live", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static HttpRequestMessage Request(string route)
    {
        var parts = route.Split(' ');
        return new HttpRequestMessage(new HttpMethod(parts[0]), new Uri(parts[1], UriKind.Relative));
    }
}
