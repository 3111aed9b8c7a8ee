using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Context.Propagation;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Automation.ServiceDefaults;

/// <summary>One OpenTelemetry set-up for every service: traces, metrics and logs, exported over OTLP when the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variable is set, and metrics scraped from <c>/metrics</c>. docs/telemetry.md says
/// what is traced and measured.</summary>
public static partial class TelemetryExtensions
{
    /// <summary>Every ActivitySource and Meter of ours starts with this prefix, so one wildcard enables them all.</summary>
    public const string AutomationInstrumentationPrefix = "Automation.";

    public static TBuilder AddAutomationTelemetry<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddValidatedOptions<TelemetryOptions>(TelemetryOptions.SectionName);
        // W3C trace context only (no baggage is used). With any other propagator the ASP.NET Core instrumentation extracts
        // the caller's context a second time and re-parents the request's span to it, overriding the host's own
        // DistributedContextPropagator, the one the Ingress replaces so that a sender cannot pick our traces.
        Sdk.SetDefaultTextMapPropagator(new TraceContextPropagator());
        var exportOtlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
            if (exportOtlp)
            {
                logging.AddOtlpExporter();
            }
        });

        if (!builder.Environment.IsDevelopment())
        {
            // One JSON object a line for a log collector: time, level, category, message, the message's fields and its
            // scopes, among them the TraceId and SpanId the host adds to every entry. Development keeps plain text.
            builder.Logging.AddJsonConsole(console =>
            {
                console.IncludeScopes = true;
                console.UseUtcTimestamp = true;
                console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }

        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } configured
            ? configured
            : ServiceName(builder.Environment.ApplicationName);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceNamespace: "automation"))
            .WithTracing(tracing =>
            {
                tracing
                    .SetSampler(services =>
                    {
                        var options = services.GetRequiredService<IOptions<TelemetryOptions>>().Value;
                        return new SampleOrRecordSampler(options.TraceSampleRatio, options.MaxTracesPerSecond);
                    })
                    .AddSource(AutomationInstrumentationPrefix + "*")
                    .AddSource("MassTransit")
                    .AddAspNetCoreInstrumentation(options =>
                        options.Filter = context => !context.Request.Path.StartsWithSegments("/health")
                            && !context.Request.Path.StartsWithSegments("/metrics"))
                    .AddHttpClientInstrumentation()
                    .AddNpgsql()
                    .AddProcessor(new ExportFailedSpansProcessor());
                if (exportOtlp)
                {
                    tracing.AddOtlpExporter();
                }
            })
            .WithMetrics(metrics =>
            {
                metrics
                    .AddMeter(AutomationInstrumentationPrefix + "*")
                    .AddMeter("MassTransit")
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddNpgsqlInstrumentation()
                    .AddPrometheusExporter();
                if (exportOtlp)
                {
                    metrics.AddOtlpExporter();
                }
            });

        return builder;
    }

    /// <summary>The <c>service.name</c> of a service whose assembly is <paramref name="applicationName"/>, unless
    /// <c>OTEL_SERVICE_NAME</c> names it: <c>Automation.CrmSync</c> is <c>crm-sync</c>, as in the deployment files.</summary>
    public static string ServiceName(string applicationName)
    {
        var name = applicationName.StartsWith(AutomationInstrumentationPrefix, StringComparison.Ordinal)
            ? applicationName[AutomationInstrumentationPrefix.Length..]
            : applicationName;
        return WordStart().Replace(name, "-$1").ToLowerInvariant();
    }

    [GeneratedRegex("(?<=[a-z0-9])([A-Z])")]
    private static partial Regex WordStart();
}
