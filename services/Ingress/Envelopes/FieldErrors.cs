namespace Automation.Ingress.Envelopes;

/// <summary>What is wrong with a body, by JSON path (<c>data.respondent.email</c>), as the problem's <c>errors</c> map:
/// at most <see cref="MaxNamed"/> paths, the rest only counted, so a body of thousands of bad items makes neither a
/// large answer nor a large map.</summary>
public sealed class FieldErrors
{
    public const int MaxNamed = 20;

    private readonly Dictionary<string, string> _errors = new(StringComparer.Ordinal);

    /// <summary>Every error found, named or not.</summary>
    public int Count => _errors.Count + Omitted;

    public IReadOnlyDictionary<string, string> ByPath => _errors;

    /// <summary>The errors found past the first <see cref="MaxNamed"/> paths.</summary>
    public int Omitted { get; private set; }

    /// <summary>Keeps the first message for a path: the first problem found is the one to fix first.</summary>
    public void Add(string path, string message)
    {
        if (_errors.Count < MaxNamed)
        {
            _errors.TryAdd(path, message);
        }
        else if (!_errors.ContainsKey(path))
        {
            Omitted++;
        }
    }
}
