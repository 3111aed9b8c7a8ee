using System.Diagnostics;
using Automation.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Automation.EndToEnd.Tests.Telemetry;

/// <summary>The shared telemetry set-up: each service's name, and sampling that drops successful traces only.</summary>
public sealed class TelemetrySetupTests
{
    [Theory]
    [InlineData("Automation.Ingress", "ingress")]
    [InlineData("Automation.Orchestrator", "orchestrator")]
    [InlineData("Automation.CrmSync", "crm-sync")]
    [InlineData("Automation.CiTrigger", "ci-trigger")]
    [InlineData("Automation.Notifier", "notifier")]
    [InlineData("Automation.Sandbox", "sandbox")]
    public void Each_service_is_named_as_its_deployment_names_it(string assembly, string serviceName)
    {
        using var host = Host(assembly, []);
        Assert.Equal(serviceName, ServiceNameOf(host));
    }

    [Fact]
    public void OTEL_SERVICE_NAME_names_the_service_when_set()
    {
        using var host = Host("Automation.CrmSync", new() { ["OTEL_SERVICE_NAME"] = "crm-sync-eu" });
        Assert.Equal("crm-sync-eu", ServiceNameOf(host));
    }

    [Fact]
    public void A_trace_starts_sampled_at_the_configured_ratio_and_its_spans_follow_that_decision()
    {
        var root = new SamplingParameters(default, ActivityTraceId.CreateRandom(), "POST", ActivityKind.Server);
        Assert.Equal(SamplingDecision.RecordOnly, new SampleOrRecordSampler(0).ShouldSample(root).Decision);
        Assert.Equal(SamplingDecision.RecordAndSample, new SampleOrRecordSampler(1).ShouldSample(root).Decision);
        var sampledParent = new ActivityContext(root.TraceId, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);
        var unsampledParent = new ActivityContext(root.TraceId, ActivitySpanId.CreateRandom(), ActivityTraceFlags.None, isRemote: true);
        Assert.Equal(SamplingDecision.RecordAndSample,
            new SampleOrRecordSampler(0).ShouldSample(new SamplingParameters(sampledParent, root.TraceId, "consume", ActivityKind.Consumer)).Decision);
        Assert.Equal(SamplingDecision.RecordOnly,
            new SampleOrRecordSampler(1).ShouldSample(new SamplingParameters(unsampledParent, root.TraceId, "consume", ActivityKind.Consumer)).Decision);
    }

    [Fact]
    public void New_traces_beyond_the_rate_limit_are_recorded_but_not_sampled()
    {
        var sampler = new SampleOrRecordSampler(1, maxTracesPerSecond: 3);
        var sampled = Enumerable.Range(0, 1000).Count(_ => sampler.ShouldSample(
            new SamplingParameters(default, ActivityTraceId.CreateRandom(), "POST", ActivityKind.Server)).Decision == SamplingDecision.RecordAndSample);
        // 3 a second: the loop may cross into the next second, never into a third.
        Assert.InRange(sampled, 3, 6);
    }

    [Fact]
    public async Task In_a_trace_not_sampled_a_failed_span_is_exported_and_a_successful_one_is_not()
    {
        var exported = new List<Activity>();
        using var host = await SamplingNothingAsync(exported);
        using var source = new ActivitySource(TelemetryExtensions.AutomationInstrumentationPrefix + nameof(TelemetrySetupTests));
        // Both under a parent that was not sampled (as where the trace started decided), so every listener agrees.
        var parent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None, isRemote: true);

        using (source.StartActivity("succeeded", ActivityKind.Internal, parent))
        {
        }

        using (var failed = source.StartActivity("failed", ActivityKind.Internal, parent))
        {
            failed?.SetStatus(ActivityStatusCode.Error, "the step failed");
        }

        host.Services.GetRequiredService<TracerProvider>().ForceFlush();
        Assert.Equal(["failed"], exported.Where(span => span.TraceId == parent.TraceId).Select(span => span.DisplayName));
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_failed_span_is_exported_with_the_open_spans_of_its_process_that_lead_to_it()
    {
        var exported = new List<Activity>();
        using var host = await SamplingNothingAsync(exported);
        using var source = new ActivitySource(TelemetryExtensions.AutomationInstrumentationPrefix + nameof(TelemetrySetupTests));
        var parent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None, isRemote: true);

        using (source.StartActivity("receive", ActivityKind.Consumer, parent))
        {
            using (source.StartActivity("read the contact"))
            {
            }

            using (source.StartActivity("consume"))
            {
                using var call = source.StartActivity("POST", ActivityKind.Client);
                call?.SetStatus(ActivityStatusCode.Error, "422");
            }

            using (source.StartActivity("send the retry"))
            {
            }
        }

        host.Services.GetRequiredService<TracerProvider>().ForceFlush();
        // The call failed inside the consume, inside the receive; the sibling that ended before it stays unexported, and so
        // does the one started after it (the trace's decision stands for what follows a failure).
        Assert.Equal(["POST", "consume", "receive"], exported.Where(span => span.TraceId == parent.TraceId).Select(span => span.DisplayName));
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public void Traces_turned_on_from_the_middle_are_limited_per_second()
    {
        using var source = new ActivitySource($"{nameof(TelemetrySetupTests)}.{Guid.NewGuid():N}");
        using var listener = new ActivityListener
        {
            ShouldListenTo = candidate => candidate == source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
        };
        ActivitySource.AddActivityListener(listener);

        // In this process every other trace is sampled already, and FromHere leaves those alone: the budget is this test's.
        var turnedOn = 0;
        for (var i = 0; i < 1000; i++)
        {
            var notSampled = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None, isRemote: true);
            using var span = source.StartActivity("compensate", ActivityKind.Consumer, notSampled)!;
            TraceExport.FromHere();
            turnedOn += span.Recorded ? 1 : 0;
        }

        // The loop may cross into the next second, never into a third.
        Assert.InRange(turnedOn, TraceExport.MaxTurnedOnPerSecond, 2 * TraceExport.MaxTurnedOnPerSecond);
    }

    [Theory]
    [InlineData("Production", "json")]
    [InlineData("Development", "simple")]
    public void Console_logs_are_json_lines_with_their_scopes_outside_development(string environment, string formatter)
    {
        using var host = Host("Automation.CrmSync", [], environment: environment);

        Assert.Equal(formatter, host.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName ?? "simple");
        if (formatter == "json")
        {
            // The scopes carry the TraceId and SpanId the host adds to each entry.
            Assert.True(host.Services.GetRequiredService<IOptionsMonitor<JsonConsoleFormatterOptions>>().CurrentValue.IncludeScopes);
        }
    }

    /// <summary>A started service whose traces are never sampled where they start, exporting to <paramref name="exported"/>.</summary>
    private static async Task<IHost> SamplingNothingAsync(List<Activity> exported)
    {
        var host = Host("Automation.CrmSync", new() { ["Telemetry:TraceSampleRatio"] = "0" },
            services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(exported)));
        await host.StartAsync(TestContext.Current.CancellationToken);
        return host;
    }

    private static IHost Host(string applicationName, Dictionary<string, string?> settings, Action<IServiceCollection>? configure = null,
        string environment = "Development")
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = applicationName,
            EnvironmentName = environment,
            DisableDefaults = true,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddAutomationTelemetry();
        configure?.Invoke(builder.Services);
        return builder.Build();
    }

    private static string? ServiceNameOf(IHost host) =>
        host.Services.GetRequiredService<TracerProvider>().GetResource().Attributes
            .SingleOrDefault(attribute => attribute.Key == "service.name").Value as string;
}
