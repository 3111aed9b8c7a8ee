using System.Collections.Concurrent;
using System.Globalization;

namespace Automation.Sandbox.GitLab;

/// <summary>One pipeline of the GitLab stand-in, with the variables it was triggered with.</summary>
public sealed record GitLabPipeline(
    long Id,
    long Iid,
    long ProjectId,
    string ProjectPath,
    string Ref,
    string Source,
    IReadOnlyDictionary<string, string> Variables,
    DateTimeOffset CreatedAt)
{
    public string Status { get; set; } = "created";

    public DateTimeOffset UpdatedAt { get; set; } = CreatedAt;
}

/// <summary>The GitLab stand-in's projects and pipelines, in memory. A project is known by its numeric id or its full path
/// (each path gets an id the first time it is named). Pipelines never start working: they stay created until cancelled.</summary>
public sealed class GitLabProjects
{
    private static readonly string[] Cancelable = ["created", "waiting_for_resource", "preparing", "pending", "running", "scheduled"];

    private readonly ConcurrentDictionary<string, long> _projectIds = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<long, GitLabPipeline> _pipelines = new();
    private long _lastProjectId = 1000;
    private long _lastPipelineId = 257;

    public GitLabPipeline Trigger(string project, string gitRef, IReadOnlyDictionary<string, string> variables, DateTimeOffset now)
    {
        var projectId = IdOf(project);
        var id = Interlocked.Increment(ref _lastPipelineId);
        var iid = _pipelines.Values.Count(pipeline => pipeline.ProjectId == projectId) + 1;
        var pipeline = new GitLabPipeline(id, iid, projectId, PathOf(project, projectId), gitRef, "trigger", variables, now);
        _pipelines[id] = pipeline;
        return pipeline;
    }

    public GitLabPipeline? Find(string project, long id) =>
        _pipelines.TryGetValue(id, out var pipeline) && pipeline.ProjectId == IdOf(project) ? pipeline : null;

    /// <summary>A project's pipelines, newest first.</summary>
    public IReadOnlyList<GitLabPipeline> Of(string project)
    {
        var projectId = IdOf(project);
        return _pipelines.Values.Where(pipeline => pipeline.ProjectId == projectId).OrderByDescending(pipeline => pipeline.Id).ToArray();
    }

    /// <summary>Cancels the pipeline if it can still be cancelled; GitLab leaves a finished one as it was.</summary>
    public void Cancel(GitLabPipeline pipeline, DateTimeOffset now)
    {
        lock (pipeline)
        {
            if (Cancelable.Contains(pipeline.Status))
            {
                pipeline.Status = "canceled";
                pipeline.UpdatedAt = now;
            }
        }
    }

    private long IdOf(string project) =>
        long.TryParse(project, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : _projectIds.GetOrAdd(project, _ => Interlocked.Increment(ref _lastProjectId));

    private string PathOf(string project, long projectId) =>
        _projectIds.FirstOrDefault(known => known.Value == projectId).Key ?? $"sandbox/project-{project}";
}
