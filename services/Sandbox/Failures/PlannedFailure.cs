using System.ComponentModel.DataAnnotations;

namespace Automation.Sandbox;

/// <summary>A failure the sandbox gives to the next matching calls, for demos and tests: <c>POST /sandbox/failures</c>.</summary>
/// <param name="Api">The stand-in (<c>hubspot</c>, <c>github</c>, <c>gitlab</c>, <c>slack</c>, <c>smtp</c>).</param>
/// <param name="Method">Only calls with this HTTP method (any when null).</param>
/// <param name="PathContains">Only calls whose path contains this (any when null).</param>
/// <param name="Status">The status to answer (e.g. 503, 422, 429); ignored when <paramref name="Hang"/>.</param>
/// <param name="Times">How many matching calls fail; then calls succeed again. Default 1.</param>
/// <param name="RetryAfterSeconds">A <c>Retry-After</c> header on the answer.</param>
/// <param name="Body">The answer's body (the real API's error shape by default).</param>
/// <param name="Hang">Never answer (until the caller gives up): an external system that hangs.</param>
/// <param name="Malformed">Answer 200 with a body that is not the API's JSON.</param>
/// <param name="AfterEffect">Apply the call's effect, then fail: the answer is lost after the work was done.</param>
public sealed record PlannedFailure(
    [property: Required] string Api,
    string? Method = null,
    string? PathContains = null,
    int Status = 503,
    int Times = 1,
    int? RetryAfterSeconds = null,
    string? Body = null,
    bool Hang = false,
    bool Malformed = false,
    bool AfterEffect = false)
{
    public bool Matches(string api, string method, string path) =>
        string.Equals(Api, api, StringComparison.OrdinalIgnoreCase)
        && (Method is null || string.Equals(Method, method, StringComparison.OrdinalIgnoreCase))
        && (PathContains is null || path.Contains(PathContains, StringComparison.OrdinalIgnoreCase));
}
