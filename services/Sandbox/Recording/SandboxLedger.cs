using System.Collections.Concurrent;

namespace Automation.Sandbox;

/// <summary>One call a connector made to a stand-in API (or one e-mail it sent), as an operator or a test reads it.</summary>
/// <param name="Api">Which stand-in: <c>hubspot</c>, <c>github</c>, <c>gitlab</c>, <c>slack</c>, <c>smtp</c>.</param>
/// <param name="Status">What the sandbox answered.</param>
/// <param name="Effect">What the call did: <c>applied</c> (its effect happened), <c>replayed</c> (a repeated idempotency key:
/// the first answer again, no second effect), <c>failed</c> (a failure the sandbox was told to give), <c>refused</c> (the
/// call itself was wrong, e.g. a 4xx of the real API).</param>
public sealed record RecordedCall(
    DateTimeOffset At,
    string Api,
    string Method,
    string Path,
    string? IdempotencyKey,
    string Body,
    int Status,
    string Effect);

/// <summary>Every call the stand-ins received, and the first answer to each idempotency key. In memory: the sandbox is for
/// local runs and tests, and starts empty.</summary>
public sealed class SandboxLedger
{
    private readonly ConcurrentQueue<RecordedCall> _calls = new();
    private readonly ConcurrentDictionary<string, IResult> _answers = new(StringComparer.Ordinal);

    public const string Applied = "applied";
    public const string Replayed = "replayed";
    public const string Failed = "failed";
    public const string Refused = "refused";

    public void Record(RecordedCall call) => _calls.Enqueue(call);

    public IReadOnlyList<RecordedCall> Calls => _calls.ToArray();

    /// <summary>The calls made for one event: their idempotency keys start with <c>{source}:{eventId}:</c>.</summary>
    public IReadOnlyList<RecordedCall> CallsFor(string source, string eventId) =>
        _calls.Where(call => call.IdempotencyKey?.StartsWith($"{source}:{eventId}:", StringComparison.Ordinal) == true).ToArray();

    /// <summary>The answer given the first time <paramref name="scope"/> (API, method and key) was seen, if it was.</summary>
    public bool TryGetAnswer(string scope, out IResult answer) => _answers.TryGetValue(scope, out answer!);

    /// <summary>Remembers the first answer to a key; a concurrent twin that lost the race keeps the winner's.</summary>
    public IResult RememberAnswer(string scope, IResult answer) => _answers.GetOrAdd(scope, answer);

    public void Clear()
    {
        _calls.Clear();
        _answers.Clear();
    }
}
