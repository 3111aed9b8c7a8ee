using System.Text.Json.Serialization;

namespace Automation.CiTrigger.GitHub;

/// <summary>The body of <c>POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches</c>.</summary>
internal sealed record WorkflowDispatch(
    [property: JsonPropertyName("ref")] string Ref,
    [property: JsonPropertyName("inputs"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? Inputs,
    [property: JsonPropertyName("return_run_details"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? ReturnRunDetails);

/// <summary>The dispatch's 200 answer when <c>return_run_details</c> is true.</summary>
internal sealed record WorkflowRunDetails(
    [property: JsonPropertyName("workflow_run_id")] long? WorkflowRunId,
    [property: JsonPropertyName("run_url")] string? RunUrl,
    [property: JsonPropertyName("html_url")] string? HtmlUrl);

/// <summary>The answer of <c>GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs</c>, as far as CiTrigger reads it.</summary>
internal sealed record WorkflowRuns(
    [property: JsonPropertyName("total_count")] int TotalCount,
    [property: JsonPropertyName("workflow_runs")] IReadOnlyList<WorkflowRun>? Runs);

internal sealed record WorkflowRun(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("display_title")] string? DisplayTitle,
    [property: JsonPropertyName("status")] string? Status);
