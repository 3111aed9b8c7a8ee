using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using Automation.Ingress.Telemetry;
using Automation.Ingress.Tests.Infrastructure;
using MassTransit.UsageTracking;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Automation.Ingress.Tests.Acceptance;

/// <summary>What operators see: the Automation.Ingress counters and histogram, and the accept span inside the request's trace.</summary>
public sealed class TelemetryTests(IngressServiceFixture ingress) : IClassFixture<IngressServiceFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_outcome_is_counted_by_source_type_and_reason()
    {
        var meters = ingress.Factory.Services.GetRequiredService<IMeterFactory>();
        using var received = new MetricCollector<long>(meters, IngressTelemetry.Name, "automation.ingress.received");
        using var accepted = new MetricCollector<long>(meters, IngressTelemetry.Name, "automation.ingress.accepted");
        using var duplicate = new MetricCollector<long>(meters, IngressTelemetry.Name, "automation.ingress.duplicate");
        using var ignored = new MetricCollector<long>(meters, IngressTelemetry.Name, "automation.ingress.ignored");
        using var rejected = new MetricCollector<long>(meters, IngressTelemetry.Name, "automation.ingress.rejected");
        using var latency = new MetricCollector<double>(meters, IngressTelemetry.Name, "automation.ingress.accept.duration");
        var body = TestWebhooks.Envelope(TestWebhooks.NewEventId());

        await SendAsync(TestWebhooks.Hex("hex", body), HttpStatusCode.Accepted);
        await SendAsync(TestWebhooks.Hex("hex", body), HttpStatusCode.OK);
        await SendAsync(TestWebhooks.Hex("hex", TestWebhooks.Envelope(TestWebhooks.NewEventId(), "task.executed")), HttpStatusCode.OK);
        await SendAsync(TestWebhooks.Hex("hex", body, "wrong-secret"), HttpStatusCode.Unauthorized);
        await SendAsync(TestWebhooks.Hex("somewhere-else", body), HttpStatusCode.NotFound);

        Assert.Equal(5, received.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(("hex", "survey.completed"), Tags(Assert.Single(accepted.GetMeasurementSnapshot()), "source", "type"));
        Assert.Equal(("hex", "survey.completed"), Tags(Assert.Single(duplicate.GetMeasurementSnapshot()), "source", "type"));
        Assert.Equal(("hex", "task.executed"), Tags(Assert.Single(ignored.GetMeasurementSnapshot()), "source", "type"));
        Assert.Equal([("hex", "invalid_signature"), ("unknown", "unknown_source")],
            rejected.GetMeasurementSnapshot().Select(measurement => Tags(measurement, "source", "reason")).Order());
        Assert.Equal(["accepted", "duplicate"], latency.GetMeasurementSnapshot().Select(m => (string)m.Tags["outcome"]!).Order());
        Assert.All(latency.GetMeasurementSnapshot(), measurement => Assert.InRange(measurement.Value, 0, 30));
    }

    [Fact]
    public void MassTransits_usage_report_to_its_vendor_is_off()
    {
        // MassTransit would post host details (versions, time zone, endpoints) to masstransit.io five minutes after start.
        var tracker = ingress.Factory.Services.GetRequiredService<IUsageTracker>();

        Assert.False(Assert.IsType<UsageTracker>(tracker).Enabled);
    }

    [Fact]
    public async Task The_accept_span_sits_in_the_requests_trace_and_carries_no_signature()
    {
        var eventId = TestWebhooks.NewEventId();
        using var request = TestWebhooks.Hex("hex", TestWebhooks.Envelope(eventId));
        var signature = request.Headers.GetValues("X-Signature").Single();

        var accept = await AcceptSpanOfAsync(request, eventId);

        Assert.Equal("Microsoft.AspNetCore.Hosting.HttpRequestIn", accept.Parent?.OperationName);
        Assert.Equal(("hex", "survey.completed", "accepted"),
            ((string?)accept.GetTagItem("automation.source"), (string?)accept.GetTagItem("automation.event.type"),
                (string?)accept.GetTagItem("automation.outcome")));
        Assert.DoesNotContain(accept.TagObjects, tag => tag.Value?.ToString()?.Contains(signature, StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_senders_traceparent_starts_no_trace_of_ours_and_is_kept_as_a_link()
    {
        // Sampled by the sender's flag: as our parent it would force the trace past our sampling and name its trace id.
        var sender = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var eventId = TestWebhooks.NewEventId();
        using var request = TestWebhooks.Hex("hex", TestWebhooks.Envelope(eventId));
        request.Headers.Add("traceparent", $"00-{sender.TraceId.ToHexString()}-{sender.SpanId.ToHexString()}-01");

        var accept = await AcceptSpanOfAsync(request, eventId);

        Assert.NotEqual(sender.TraceId, accept.TraceId);
        var requestSpan = Assert.IsType<Activity>(accept.Parent);
        Assert.Equal(("Microsoft.AspNetCore.Hosting.HttpRequestIn", default(ActivitySpanId)), (requestSpan.OperationName, requestSpan.ParentSpanId));
        var link = Assert.Single(accept.Links);
        Assert.Equal((sender.TraceId, sender.SpanId), (link.Context.TraceId, link.Context.SpanId));
    }

    /// <summary>Sends <paramref name="request"/> (accepted) and returns its <c>webhook accept</c> span, recorded here.</summary>
    private async Task<Activity> AcceptSpanOfAsync(HttpRequestMessage request, string eventId)
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == IngressTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        await SendAsync(request, HttpStatusCode.Accepted);

        await Automation.Testing.Eventually.Until(() => spans.Any(span => (string?)span.GetTagItem("automation.event.id") == eventId),
            "the accept span ended");
        return spans.Single(span => (string?)span.GetTagItem("automation.event.id") == eventId);
    }

    private async Task SendAsync(HttpRequestMessage request, HttpStatusCode expected)
    {
        using var response = await ingress.Client.SendAsync(request, Cancellation);
        Assert.Equal(expected, response.StatusCode);
    }

    private static (string, string) Tags<T>(CollectedMeasurement<T> measurement, string first, string second)
        where T : struct =>
        ((string)measurement.Tags[first]!, (string)measurement.Tags[second]!);
}
