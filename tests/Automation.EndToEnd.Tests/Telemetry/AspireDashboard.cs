using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Automation.EndToEnd.Tests.Telemetry;

/// <summary>The standalone Aspire Dashboard (NuGet <c>Aspire.Dashboard.Sdk.linux-x64</c>, what <c>./automation up</c> runs) as
/// a process of the test, on free ports: an OTLP receiver whose telemetry API the test reads.</summary>
public sealed class AspireDashboard : IAsyncDisposable
{
    public const string Version = "13.6.5";

    private readonly Process _process;
    private readonly HttpClient _api;

    private AspireDashboard(Process process, int uiPort, int otlpPort)
    {
        _process = process;
        _api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{uiPort.ToString(CultureInfo.InvariantCulture)}/") };
        OtlpEndpoint = new Uri($"http://127.0.0.1:{otlpPort.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>Where services export (OTLP over gRPC): their <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>.</summary>
    public Uri OtlpEndpoint { get; }

    public static async Task<AspireDashboard> StartAsync()
    {
        var binary = await BinaryAsync();
        var (uiPort, otlpPort, otlpHttpPort) = (FreeTcpPort.Next(), FreeTcpPort.Next(), FreeTcpPort.Next());
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{uiPort}",
                ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://127.0.0.1:{otlpPort}",
                ["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = $"http://127.0.0.1:{otlpHttpPort}",
                ["ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"] = "true",
            },
        };
        var dashboard = new AspireDashboard(Process.Start(start)!, uiPort, otlpPort);
        dashboard._process.BeginOutputReadLine();
        dashboard._process.BeginErrorReadLine();
        await Eventually.Until(async () =>
        {
            Assert.False(dashboard._process.HasExited, $"The Aspire Dashboard ({binary}) exited at start");
            try
            {
                return (await dashboard._api.GetAsync("api/telemetry/resources")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "the Aspire Dashboard answers", TimeSpan.FromSeconds(60));
        return dashboard;
    }

    /// <summary>Every span the dashboard holds of the trace, with the <c>service.name</c> of the service that exported it.</summary>
    public async Task<IReadOnlyList<ExportedSpan>> TraceAsync(string traceId)
    {
        using var response = await _api.GetAsync($"api/telemetry/traces/{traceId}");
        if (!response.IsSuccessStatusCode)
        {
            return [];
        }

        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return [.. SpansOf(body!)];
    }

    /// <summary>The trace ids of the spans, among the latest the dashboard holds, with this attribute.</summary>
    public async Task<IReadOnlyList<string>> TracesWithAsync(string attribute, string value)
    {
        var body = await _api.GetFromJsonAsync<JsonObject>("api/telemetry/traces?limit=1000");
        return [.. SpansOf(body!).Where(span => span.Attributes.GetValueOrDefault(attribute) == value).Select(span => span.TraceId).Distinct()];
    }

    /// <summary>The latest log records the dashboard holds, of every service.</summary>
    public async Task<IReadOnlyList<ExportedLog>> LogsAsync()
    {
        var body = await _api.GetFromJsonAsync<JsonObject>("api/telemetry/logs?limit=1000");
        return [.. LogsOf(body!)];
    }

    private static IEnumerable<ExportedLog> LogsOf(JsonObject body)
    {
        foreach (var resource in body["data"]?["resourceLogs"]?.AsArray() ?? [])
        {
            var service = Attributes(resource!["resource"]?["attributes"]).GetValueOrDefault("service.name");
            foreach (var scope in resource!["scopeLogs"]?.AsArray() ?? [])
            {
                foreach (var record in scope!["logRecords"]?.AsArray() ?? [])
                {
                    yield return new ExportedLog(service, record!["traceId"]?.GetValue<string>() ?? "", record["spanId"]?.GetValue<string>() ?? "",
                        record.ToJsonString());
                }
            }
        }
    }

    private static IEnumerable<ExportedSpan> SpansOf(JsonObject body)
    {
        foreach (var resource in body["data"]?["resourceSpans"]?.AsArray() ?? [])
        {
            var service = Attributes(resource!["resource"]?["attributes"]).GetValueOrDefault("service.name");
            foreach (var scope in resource!["scopeSpans"]?.AsArray() ?? [])
            {
                foreach (var span in scope!["spans"]?.AsArray() ?? [])
                {
                    yield return new ExportedSpan(service, span!["traceId"]!.GetValue<string>(), span["spanId"]!.GetValue<string>(),
                        span["parentSpanId"]?.GetValue<string>() ?? "", span["name"]!.GetValue<string>(), Attributes(span["attributes"]));
                }
            }
        }
    }

    private static Dictionary<string, string> Attributes(JsonNode? attributes) =>
        (attributes?.AsArray() ?? []).ToDictionary(
            attribute => attribute!["key"]!.GetValue<string>(),
            attribute => attribute!["value"]?.AsObject().Select(value => value.Value?.ToString()).FirstOrDefault() ?? "");

    /// <summary>The dashboard's executable in the NuGet cache, downloaded (as <c>eng/dashboard.sh</c> does) if it is not there.</summary>
    private static async Task<string> BinaryAsync()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var binary = Path.Combine(packages, "aspire.dashboard.sdk.linux-x64", Version, "tools", "Aspire.Dashboard");
        if (File.Exists(binary))
        {
            return binary;
        }

        var project = RepositoryRoot.Of("eng", "dashboard", "AspireDashboard.csproj");
        using var restore = Process.Start(new ProcessStartInfo("dotnet", ["restore", project, "-nologo", "-v", "quiet"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = await restore.StandardOutput.ReadToEndAsync() + await restore.StandardError.ReadToEndAsync();
        await restore.WaitForExitAsync();
        Assert.True(File.Exists(binary),
            $"The Aspire Dashboard is not at {binary} and could not be downloaded: run 'dotnet restore {project}' (NuGet Aspire.Dashboard.Sdk.linux-x64 {Version}).{Environment.NewLine}{output}");
        return binary;
    }

    public async ValueTask DisposeAsync()
    {
        _api.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}

/// <summary>A span as the dashboard's telemetry API returns it (OTLP JSON), with its service's name.</summary>
public sealed record ExportedSpan(string? Service, string TraceId, string SpanId, string ParentSpanId, string Name,
    IReadOnlyDictionary<string, string> Attributes);

/// <summary>A log record as the dashboard's telemetry API returns it: its service, trace and span, and the whole record.</summary>
public sealed record ExportedLog(string? Service, string TraceId, string SpanId, string Json);
