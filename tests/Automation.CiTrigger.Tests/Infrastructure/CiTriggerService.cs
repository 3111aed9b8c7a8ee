using Automation.CiTrigger.Pipelines;
using Automation.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.CiTrigger.Tests.Infrastructure;

/// <summary>The CiTrigger service running in the test process on a virtual host and database of its own, calling the
/// pipelines' APIs at the given addresses, with short timeouts and retries so failures play out in seconds; and a <see cref="StepProbe"/> in
/// the orchestrator's seat.</summary>
public sealed class CiTriggerService : IAsyncDisposable
{
    /// <summary>A call taking longer than this fails (transiently).</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(1.5);

    /// <summary>Calls a step makes when every one fails transiently: 2 per delivery (one immediate retry), 3 deliveries.</summary>
    public const int CallsUntilFault = 6;

    private readonly RabbitMqVirtualHost _virtualHost = new();
    private readonly PostgresDatabase _database = new();
    private ServiceFactory<TriggerPipelineConsumer>? _service;

    public StepProbe Probe { get; private set; } = null!;

    public RabbitMqVirtualHost VirtualHost => _virtualHost;

    /// <summary>Starts the service with GitHub's and GitLab's APIs at <paramref name="gitHub"/> and <paramref name="gitLab"/>.</summary>
    public static async Task<CiTriggerService> StartAsync(Uri gitHub, Uri gitLab)
    {
        var service = new CiTriggerService();
        await Task.WhenAll(service._virtualHost.InitializeAsync().AsTask(), service._database.InitializeAsync().AsTask());
        var settings = TestPipelines.Settings(gitHub, gitLab);
        settings["RabbitMq:Uri"] = service._virtualHost.Uri.ToString();
        settings["ConnectionStrings:Automation"] = service._database.ConnectionString;
        settings["Connector:Http:Timeout"] = CallTimeout.ToString();
        // The failure tests of a class share each provider's circuit breaker: it must not open on them.
        settings["Connector:Http:MinimumThroughput"] = "10000";
        settings["Connector:Retry:Immediate:0"] = "00:00:00.050";
        settings["Connector:Retry:Redelivery:0"] = "00:00:00.200";
        settings["Connector:Retry:Redelivery:1"] = "00:00:00.400";
        service._service = new ServiceFactory<TriggerPipelineConsumer>(settings);
        var bus = service._service.Services.GetRequiredService<IBusControl>();
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        await bus.WaitForHealthStatus(BusHealthStatus.Healthy, timeout.Token);
        service.Probe = await StepProbe.StartAsync(service._virtualHost);
        return service;
    }

    public async ValueTask DisposeAsync()
    {
        if (Probe is not null)
        {
            await Probe.DisposeAsync();
        }

        if (_service is not null)
        {
            await _service.DisposeAsync();
        }

        await _virtualHost.DisposeAsync();
        await _database.DisposeAsync();
    }
}
