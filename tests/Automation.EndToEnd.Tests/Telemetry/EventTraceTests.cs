using System.Diagnostics;
using Automation.EndToEnd.Tests.Infrastructure;
using static Automation.EndToEnd.Tests.Infrastructure.AutomationSystem;
using static Automation.Testing.ExternalApis.SlackWebhookStubs;

namespace Automation.EndToEnd.Tests.Telemetry;

/// <summary>One event is one trace, from the webhook's POST through the Ingress's store and outbox, the Orchestrator's saga,
/// every connector's consumer and every call to an external system, over real RabbitMQ and PostgreSQL.</summary>
public sealed class EventTraceTests(AutomationSystem system, RecordedSpans spans)
    : IClassFixture<AutomationSystem>, IClassFixture<RecordedSpans>
{
    private const string ConsumerType = "messaging.masstransit.consumer_type";

    [Fact]
    public async Task A_published_content_event_is_one_trace_from_the_webhook_to_every_external_call()
    {
        const string rule = ContentPublished;
        var eventId = Webhooks.NewEventId();
        var (note, pipeline, slack) = system.AnswerContentPublished(eventId);

        await system.Webhooks.AcceptedAsync(eventId, EventData.ContentStateChanged, EventData.Content("Traced"));
        await system.Runs.WaitFor(eventId, rule, "Completed");

        var accept = spans.All.Single(span => span.OperationName == "webhook accept" && Tag(span, "automation.event.id") == eventId);
        var trace = await CompleteTraceAsync(accept.TraceId);

        var root = Assert.Single(trace, span => span.ParentSpanId == default);
        Assert.Equal((ActivityKind.Server, "POST /webhooks/{source}"), (root.Kind, root.DisplayName));
        Assert.Equal(root, ParentOf(accept, trace));
        var store = Assert.Single(trace, span => span.OperationName == "ingress store");
        Assert.Equal(accept, ParentOf(store, trace));
        var groupCommit = Assert.Single(trace, span => span.OperationName == "ingress group commit");
        Assert.Equal(store, ParentOf(groupCommit, trace));
        Assert.Contains(trace, span => ParentOf(span, trace) == groupCommit && Tag(span, "db.query.text")!.Contains("INSERT INTO ingress.events", StringComparison.Ordinal));

        // Every external call is made under the consumer of its service, in the event's trace.
        AssertCallsUnder(trace, system.HubSpot.BaseUrl, "Automation.CrmSync.", count: 2);
        AssertCallsUnder(trace, system.Ci.BaseUrl, "Automation.CiTrigger.", count: 1);
        var slackCall = AssertCallsUnder(trace, new Uri(system.Slack.Url!), "Automation.Notifier.", count: 1).Single();
        Assert.DoesNotContain("e2e-webhook-secret", Tag(slackCall, "url.full"), StringComparison.Ordinal);
        Assert.Contains(trace, span => Tag(span, ConsumerType)?.StartsWith("Automation.Orchestrator.Events.StartRunsConsumer", StringComparison.Ordinal) == true);
        Assert.Contains(trace, span => Tag(span, ConsumerType) == "RunStateMachine" && Tag(span, "messaging.masstransit.end_state") == "Completed");
    }

    /// <summary>The trace once it holds the calls and consumers this test expects and every span's parent has ended too.</summary>
    private async Task<IReadOnlyList<Activity>> CompleteTraceAsync(ActivityTraceId traceId)
    {
        IReadOnlyList<Activity> trace = [];
        var missing = "";
        try
        {
            await Eventually.Until(() =>
            {
                trace = spans.OfTrace(traceId);
                var ids = trace.Select(span => span.SpanId).ToHashSet();
                var orphans = trace.Where(span => span.ParentSpanId != default && !ids.Contains(span.ParentSpanId)).Select(span => span.DisplayName);
                var calls = trace.Count(span => span.Kind == ActivityKind.Client && span.Source.Name == "System.Net.Http");
                var completed = trace.Any(span => Tag(span, "messaging.masstransit.end_state") == "Completed");
                missing = $"{calls} of 4 external calls, saga completed: {completed}, spans whose parent is missing: [{string.Join(", ", orphans)}]";
                return calls == 4 && completed && !orphans.Any();
            }, "the event's trace is complete");
        }
        catch (TimeoutException)
        {
            Assert.Fail($"The event's trace is incomplete: {missing}");
        }

        return trace;
    }

    private static IReadOnlyList<Activity> AssertCallsUnder(IReadOnlyList<Activity> trace, Uri server, string consumerNamespace, int count)
    {
        var calls = trace.Where(span => span is { Kind: ActivityKind.Client, Source.Name: "System.Net.Http" }
            && Tag(span, "server.port") is { } port && port == server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(calls.Count == count, $"{calls.Count} calls to {server}, expected {count}");
        Assert.All(calls, call => Assert.Contains(Ancestors(call, trace),
            span => span.Kind == ActivityKind.Consumer && Tag(span, ConsumerType)?.StartsWith(consumerNamespace, StringComparison.Ordinal) == true));
        return calls;
    }

    private static IEnumerable<Activity> Ancestors(Activity span, IReadOnlyList<Activity> trace)
    {
        for (var parent = ParentOf(span, trace); parent is not null; parent = ParentOf(parent, trace))
        {
            yield return parent;
        }
    }

    private static Activity? ParentOf(Activity span, IReadOnlyList<Activity> trace) =>
        trace.SingleOrDefault(candidate => candidate.SpanId == span.ParentSpanId);

    private static string? Tag(Activity span, string key) => span.GetTagItem(key)?.ToString();
}
