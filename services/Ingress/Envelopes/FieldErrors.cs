namespace Automation.Ingress.Envelopes;

/// <summary>What is wrong with a body, by JSON path (<c>data.respondent.email</c>), as the problem's <c>errors</c> map.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, string> _errors = new(StringComparer.Ordinal);

    public int Count => _errors.Count;

    public IReadOnlyDictionary<string, string> ByPath => _errors;

    /// <summary>Keeps the first message for a path: the first problem found is the one to fix first.</summary>
    public void Add(string path, string message) => _errors.TryAdd(path, message);
}
