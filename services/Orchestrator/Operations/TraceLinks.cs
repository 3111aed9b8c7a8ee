using Microsoft.Extensions.Options;

namespace Automation.Orchestrator.Operations;

/// <summary>Turns a trace id into a link to the trace viewer (<c>Operations:TraceUrlTemplate</c>): the Aspire Dashboard
/// in Development, Jaeger elsewhere.</summary>
public sealed class TraceLinks(IOptions<OperationsOptions> options)
{
    private readonly string? _template = string.IsNullOrEmpty(options.Value.TraceUrlTemplate) ? null : options.Value.TraceUrlTemplate;

    public string? For(string? traceId) =>
        traceId is null || _template is null ? null : _template.Replace(OperationsLimits.TraceIdPlaceholder, Uri.EscapeDataString(traceId), StringComparison.Ordinal);
}
