namespace Automation.Orchestrator.Operations;

/// <summary>A run's states as the operator API names them (lower case, like step statuses) and as the runs table stores
/// them (the state machine's names).</summary>
public static class RunStates
{
    public const string Running = "Running";
    public const string Compensating = "Compensating";
    public const string Completed = "Completed";
    public const string Compensated = "Compensated";
    public const string Failed = "Failed";

    private static readonly string[] All = [Running, Compensating, Completed, Compensated, Failed];

    /// <summary>Every state, as the runs table stores it.</summary>
    public static IReadOnlyList<string> Stored => All;

    /// <summary>The API's names: running, compensating, completed, compensated, failed.</summary>
    public static IEnumerable<string> Names => All.Select(ToApi);

    /// <summary>A run that has not reached Completed, Compensated or Failed: replaying it now would run it twice at once.</summary>
    public static bool IsInProgress(string stored) => stored is Running or Compensating;

    public static string ToApi(string stored) => stored.ToLowerInvariant();

    public static string? FromApi(string name) => All.FirstOrDefault(state => string.Equals(state, name, StringComparison.OrdinalIgnoreCase));
}
