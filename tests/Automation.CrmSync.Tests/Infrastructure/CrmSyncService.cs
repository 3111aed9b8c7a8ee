using Automation.CrmSync.HubSpot;
using Automation.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Automation.CrmSync.Tests.Infrastructure;

/// <summary>The CrmSync service running in the test process on a virtual host and database of its own, calling the HubSpot
/// at <see cref="Start"/>'s address, with short retries so failures play out in seconds; and a <see cref="StepProbe"/> in
/// the orchestrator's seat.</summary>
public sealed class CrmSyncService : IAsyncDisposable
{
    public const string AccessToken = "pat-na1-test-token-0000";

    private readonly RabbitMqVirtualHost _virtualHost = new();
    private readonly PostgresDatabase _database = new();
    private ServiceFactory<HubSpotClient>? _service;

    public StepProbe Probe { get; private set; } = null!;

    public RabbitMqVirtualHost VirtualHost => _virtualHost;

    /// <param name="callTimeout">A call taking longer fails (transiently). A first call may take a second or more while
    /// the process warms up on a busy machine: only a test of timeouts should go below a few seconds.</param>
    public static async Task<CrmSyncService> Start(Uri hubSpotBaseUrl, TimeSpan callTimeout)
    {
        var service = new CrmSyncService();
        await Task.WhenAll(service._virtualHost.InitializeAsync().AsTask(), service._database.InitializeAsync().AsTask());
        service._service = new ServiceFactory<HubSpotClient>(new Dictionary<string, string>
        {
            ["RabbitMq:Uri"] = service._virtualHost.Uri.ToString(),
            ["ConnectionStrings:Automation"] = service._database.ConnectionString,
            ["CrmSync:HubSpot:BaseUrl"] = hubSpotBaseUrl.ToString(),
            ["CrmSync:HubSpot:AccessToken"] = AccessToken,
            ["Connector:Http:Timeout"] = callTimeout.ToString(),
            // The failure tests of a class share one circuit breaker: it must not open on them.
            ["Connector:Http:MinimumThroughput"] = "10000",
            ["Connector:Retry:Immediate:0"] = "00:00:00.050",
            ["Connector:Retry:Redelivery:0"] = "00:00:00.200",
            ["Connector:Retry:Redelivery:1"] = "00:00:00.400",
        });
        var bus = service._service.Services.GetRequiredService<IBusControl>();
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        await bus.WaitForHealthStatus(BusHealthStatus.Healthy, timeout.Token);
        service.Probe = await StepProbe.StartAsync(service._virtualHost);
        return service;
    }

    /// <summary>How many times CrmSync's inbox received <paramref name="messageId"/> (0 before the first time).</summary>
    public async Task<int> InboxReceiveCount(Guid messageId)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT coalesce(sum(receive_count), 0)::int FROM crm_sync.inbox_state WHERE message_id = $1", connection)
        {
            Parameters = { new() { Value = messageId } },
        };
        return (int)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
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
