using System.Text.Json.Nodes;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Automation.Testing.ExternalApis;

/// <summary>How the stand-in APIs (WireMock.Net) tell tests apart: every call a connector makes carries its step's key in
/// <c>Idempotency-Key</c>, so each test answers and reads the calls of its own keys on a server its class shares.</summary>
public static class KeyedStubs
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>Answers the calls matching <paramref name="request"/> with <paramref name="answers"/> in turn; the last one
    /// answers every later call.</summary>
    public static void AnswerInTurn(this WireMockServer server, IRequestBuilder request, string scenario, params IResponseBuilder[] answers)
    {
        if (answers.Length == 1)
        {
            server.Given(request).RespondWith(answers[0]);
            return;
        }

        for (var turn = 0; turn < answers.Length; turn++)
        {
            var given = server.Given(request).InScenario(scenario);
            if (turn > 0)
            {
                given = given.WhenStateIs($"answered {turn}");
            }

            // The last answer keeps its state, so it answers every later call.
            given.WillSetStateTo($"answered {Math.Min(turn + 1, answers.Length - 1)}").RespondWith(answers[turn]);
        }
    }

    /// <summary>Every call that carried <paramref name="key"/>, oldest first.</summary>
    public static IReadOnlyList<IRequestMessage> CallsWith(this WireMockServer server, string key) =>
        server.LogEntries.Select(entry => entry.RequestMessage)
            .Where(call => HeaderOf(call, IdempotencyKeyHeader) == key)
            .OrderBy(call => call.DateTime)
            .ToArray();

    public static string? HeaderOf(IRequestMessage call, string name) =>
        call.Headers?.FirstOrDefault(header => string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();

    /// <summary>Asserts a JSON body equals <paramref name="expected"/>, property order aside.</summary>
    public static void AssertJson(string expected, string? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual ?? "null")),
            $"Expected the JSON body {expected}{Environment.NewLine}but it was {actual}");

    /// <summary>Asserts a call's JSON body equals <paramref name="expected"/>, property order aside.</summary>
    public static void AssertJsonBody(string expected, IRequestMessage call) => AssertJson(expected, call.Body);

    /// <summary>WireMock's first answer can take longer than a test's call timeout while it warms up: take it before the tests do.</summary>
    public static async Task WarmUpAsync(this WireMockServer server)
    {
        using var http = new HttpClient();
        using var answer = await http.GetAsync(new Uri($"{server.Url}/warm-up"));
    }
}
