using System.Globalization;
using Automation.EndToEnd.Tests.Infrastructure;

namespace Automation.EndToEnd.Tests.Telemetry;

/// <summary>The trace viewer <c>./automation up</c> runs receives the services' traces: the Ingress and the Orchestrator run
/// as processes of their own, exporting over OTLP as a deployment does, to the standalone Aspire Dashboard, whose telemetry
/// API then holds the event's trace across both.</summary>
public sealed class DashboardTraceTests(PostgresDatabase database, RabbitMqVirtualHost virtualHost)
    : IClassFixture<PostgresDatabase>, IClassFixture<RabbitMqVirtualHost>
{
    [Fact]
    public async Task An_event_exported_over_otlp_is_one_trace_across_the_ingress_and_the_orchestrator_in_the_aspire_dashboard()
    {
        await using var dashboard = await AspireDashboard.StartAsync();
        var shared = new ServiceSettings.Shared(database, virtualHost);
        var secret = $"dashboard-secret-{Guid.NewGuid():N}";
        await using var orchestrator = ServiceProcess.Start("Orchestrator", "Automation.Orchestrator",
            ExportingTo(dashboard, ServiceSettings.Orchestrator(shared, TimeSpan.FromMinutes(1), [])));
        await Eventually.Until(async () => orchestrator.HasExited || await virtualHost.ConsumerCount("orchestrator-survey-completed") > 0,
            "the Orchestrator consumes survey events", TimeSpan.FromSeconds(60));
        Assert.False(orchestrator.HasExited, $"The Orchestrator exited at start:{Environment.NewLine}{orchestrator.Output}");
        var ingressUrl = new Uri($"http://127.0.0.1:{FreeTcpPort.Next().ToString(CultureInfo.InvariantCulture)}/");
        var ingressSettings = ExportingTo(dashboard, ServiceSettings.Ingress(shared, secret));
        ingressSettings["ASPNETCORE_URLS"] = ingressUrl.ToString();
        await using var ingress = ServiceProcess.Start("Ingress", "Automation.Ingress", ingressSettings);
        // When other classes of the process listen to HttpClient, this client sends its span's traceparent, which the
        // Ingress continues: the webhook's POST is then the root of what the Ingress and the Orchestrator exported.
        using var client = new HttpClient { BaseAddress = ingressUrl };
        await Eventually.Until(async () =>
        {
            Assert.False(ingress.HasExited, $"The Ingress exited at start:{Environment.NewLine}{ingress.Output}");
            try
            {
                return (await client.GetAsync("health/live", TestContext.Current.CancellationToken)).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "the Ingress answers", TimeSpan.FromSeconds(60));

        var eventId = Webhooks.NewEventId();
        await new Webhooks(client, secret).AcceptedAsync(eventId, EventData.SurveyCompleted, EventData.Survey());

        IReadOnlyList<ExportedSpan> trace = [];
        try
        {
            await Eventually.Until(async () =>
            {
                var traces = await dashboard.TracesWithAsync("automation.event.id", eventId);
                trace = traces.Count == 1 ? await dashboard.TraceAsync(traces[0]) : [];
                return trace.Any(span => span.Service == "orchestrator" && span.Name == "orchestrator-survey-completed process" && ReachesRoot(span, trace));
            }, "the dashboard holds the event's trace, from the webhook to the Orchestrator's consumer that opens its runs", TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            Assert.Fail("The dashboard's trace of the event is incomplete: ["
                + string.Join(", ", trace.Select(span => $"{span.Service}: {span.Name}{(ReachesRoot(span, trace) ? "" : $" (parent {span.ParentSpanId} missing)")}")) + "]"
                + $"{Environment.NewLine}Ingress:{Environment.NewLine}{ingress.Output}{Environment.NewLine}Orchestrator:{Environment.NewLine}{orchestrator.Output}");
        }

        var root = Assert.Single(trace, IsRoot);
        Assert.Equal(("ingress", "POST /webhooks/{source}"), (root.Service, root.Name));
        Assert.Contains(trace, span => span is { Service: "ingress", Name: "ingress store" });
        Assert.Contains(trace, span => span is { Service: "ingress", Name: "ingress group commit" });

        // Logs carry the trace and span they were written in, and never the source's secret or the signature header.
        var logs = await dashboard.LogsAsync();
        Assert.Contains(logs, log => log.Service == "orchestrator" && log.TraceId == root.TraceId && log.SpanId.Length > 0);
        Assert.DoesNotContain(logs, log => log.Json.Contains(secret, StringComparison.Ordinal) || log.Json.Contains("X-Signature", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Whether the span's parents, one after the other, all in the trace, lead to its root.</summary>
    private static bool ReachesRoot(ExportedSpan span, IReadOnlyList<ExportedSpan> trace)
    {
        for (var current = span; current is not null; current = trace.FirstOrDefault(candidate => candidate.SpanId == current.ParentSpanId))
        {
            if (IsRoot(current))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsRoot(ExportedSpan span) =>
        span.ParentSpanId.Length == 0 || span is { Service: "ingress", Name: "POST /webhooks/{source}" };

    private static Dictionary<string, string> ExportingTo(AspireDashboard dashboard, Dictionary<string, string> settings)
    {
        settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = dashboard.OtlpEndpoint.ToString();
        // Exported within a fifth of a second rather than the default five; every log level, so none escapes the check.
        settings["OTEL_BSP_SCHEDULE_DELAY"] = "200";
        settings["OTEL_BLRP_SCHEDULE_DELAY"] = "200";
        settings["Logging:LogLevel:Default"] = "Trace";
        return settings;
    }
}
