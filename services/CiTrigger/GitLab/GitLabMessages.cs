using System.Text.Json.Serialization;

namespace Automation.CiTrigger.GitLab;

/// <summary>A pipeline as GitLab's API answers it (trigger, cancel, list), as far as CiTrigger reads it.</summary>
internal sealed record GitLabPipeline(
    [property: JsonPropertyName("id")] long? Id,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("web_url")] string? WebUrl);

/// <summary>One of a pipeline's variables (<c>GET /projects/:id/pipelines/:pipeline_id/variables</c>).</summary>
internal sealed record GitLabPipelineVariable(
    [property: JsonPropertyName("key")] string? Key,
    [property: JsonPropertyName("value")] string? Value);
