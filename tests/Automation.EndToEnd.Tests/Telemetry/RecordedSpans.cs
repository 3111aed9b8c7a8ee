using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Automation.EndToEnd.Tests.Telemetry;

/// <summary>Every span the services in this test process record (exported or not by their own set-up), as an in-memory
/// exporter would receive it: a listener of the same instrumentation that decides nothing (its sampler never samples),
/// so what is recorded is what the services' own samplers and suppression decided. Shared by every class in the process:
/// a test picks its spans by trace id or by its database.</summary>
public sealed class RecordedSpans : IDisposable
{
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly TracerProvider _provider;

    public RecordedSpans()
    {
        _provider = Sdk.CreateTracerProviderBuilder()
            .SetSampler(new AlwaysOffSampler())
            .AddSource("Automation.*", "MassTransit")
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation()
            .AddNpgsql()
            .AddProcessor(new Collector(_spans))
            .Build();
    }

    public IReadOnlyList<Activity> All => [.. _spans];

    public IReadOnlyList<Activity> OfTrace(ActivityTraceId traceId) => [.. _spans.Where(span => span.TraceId == traceId)];

    /// <summary>The spans of statements on <paramref name="database"/> (Npgsql tags each with <c>db.namespace</c>).</summary>
    public IReadOnlyList<Activity> OnDatabase(string database) =>
        [.. _spans.Where(span => span.GetTagItem("db.namespace") as string == database)];

    public void Dispose() => _provider.Dispose();

    private sealed class Collector(ConcurrentQueue<Activity> spans) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data)
        {
            if (data.Recorded)
            {
                spans.Enqueue(data);
            }
        }
    }
}
