using System.Diagnostics;

namespace Automation.Ingress.Telemetry;

/// <summary>A sender's <c>traceparent</c> is not ours to trust: as the parent of the webhook's trace it would let any
/// sender decide that its requests are sampled (past <c>Telemetry:MaxTracesPerSecond</c>) and put many events, or another
/// system's spans, under one trace id. The Ingress therefore starts a new trace for every request and keeps the sender's
/// context only as a link of the <c>webhook accept</c> span.</summary>
public sealed class SenderTraceContext : DistributedContextPropagator
{
    private static readonly DistributedContextPropagator Default = CreateDefaultPropagator();

    public override IReadOnlyCollection<string> Fields => Default.Fields;

    /// <summary>The sender's context as a link (its trace and span id; not its <c>tracestate</c>, free text of any length),
    /// or none when it sent none or one that does not parse.</summary>
    public static ActivityLink[] LinksOf(HttpRequest request) =>
        ActivityContext.TryParse(request.Headers.TraceParent, traceState: null, isRemote: true, out var sender)
            ? [new ActivityLink(sender)]
            : [];

    public override void Inject(Activity? activity, object? carrier, PropagatorSetterCallback? setter) =>
        Default.Inject(activity, carrier, setter);

    public override void ExtractTraceIdAndState(object? carrier, PropagatorGetterCallback? getter, out string? traceId,
        out string? traceState) => (traceId, traceState) = (null, null);

    public override IEnumerable<KeyValuePair<string, string?>>? ExtractBaggage(object? carrier, PropagatorGetterCallback? getter) => null;
}
