using System.Collections.Concurrent;

namespace Automation.Sandbox.GitHub;

/// <summary>One workflow run of the GitHub stand-in. Its <see cref="DisplayTitle"/> is what a workflow whose
/// <c>run-name</c> shows its inputs would get: the workflow, then the inputs' values.</summary>
public sealed record GitHubWorkflowRun(
    long Id,
    string Owner,
    string Repo,
    string Workflow,
    string Ref,
    IReadOnlyDictionary<string, string> Inputs,
    DateTimeOffset CreatedAt)
{
    public string Status { get; set; } = "queued";

    public string? Conclusion { get; set; }

    public string DisplayTitle => string.Join(' ', Inputs.Values.Prepend(Workflow));
}

/// <summary>The runs the GitHub stand-in started, in memory. Runs never start working: they stay queued until cancelled.</summary>
public sealed class GitHubActionsRuns
{
    private readonly ConcurrentDictionary<long, GitHubWorkflowRun> _runs = new();
    private long _lastId = 30_433_600;

    public GitHubWorkflowRun Start(string owner, string repo, string workflow, string gitRef, IReadOnlyDictionary<string, string> inputs,
        DateTimeOffset now)
    {
        var run = new GitHubWorkflowRun(Interlocked.Increment(ref _lastId), owner, repo, workflow, gitRef, inputs, now);
        _runs[run.Id] = run;
        return run;
    }

    public GitHubWorkflowRun? Find(string owner, string repo, long id) =>
        _runs.TryGetValue(id, out var run) && Same(run.Owner, owner) && Same(run.Repo, repo) ? run : null;

    /// <summary>The runs of one workflow, newest first.</summary>
    public IReadOnlyList<GitHubWorkflowRun> Of(string owner, string repo, string workflow) =>
        _runs.Values.Where(run => Same(run.Owner, owner) && Same(run.Repo, repo) && Same(run.Workflow, workflow))
            .OrderByDescending(run => run.Id)
            .ToArray();

    /// <summary>Cancels a run unless it has completed; false when it had.</summary>
    public bool TryCancel(GitHubWorkflowRun run)
    {
        lock (run)
        {
            if (run.Status == "completed")
            {
                return false;
            }

            run.Status = "completed";
            run.Conclusion = "cancelled";
            return true;
        }
    }

    // GitHub's owner and repository names are not case sensitive.
    private static bool Same(string left, string right) => string.Equals(left, right, StringComparison.OrdinalIgnoreCase);
}
