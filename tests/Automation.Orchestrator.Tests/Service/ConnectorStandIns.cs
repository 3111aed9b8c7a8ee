using Automation.Orchestrator.Tests.Connectors;
using Automation.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Orchestrator.Tests.Service;

/// <summary>The scripted connectors on the command queues of a test's virtual host (the real connectors are other
/// services), on a bus of their own that also publishes the webhook events, as the Ingress would.</summary>
public sealed class ConnectorStandIns : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private ConnectorStandIns(ServiceProvider provider) => _provider = provider;

    public ConnectorScript Script => _provider.GetRequiredService<ConnectorScript>();

    public IBus Bus => _provider.GetRequiredService<IBus>();

    public static async Task<ConnectorStandIns> StartAsync(RabbitMqVirtualHost virtualHost)
    {
        var provider = new ServiceCollection()
            .AddSingleton(new ConnectorScript())
            .AddLogging()
            .AddMassTransit(bus =>
            {
                bus.AddScriptedConnectors();
                bus.UsingRabbitMq((context, rabbit) =>
                {
                    rabbit.Host(virtualHost.Uri);
                    rabbit.ConfigureEndpoints(context);
                });
            })
            .BuildServiceProvider();
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        await provider.GetRequiredService<IBusControl>().StartAsync(timeout.Token);
        return new ConnectorStandIns(provider);
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.GetRequiredService<IBusControl>().StopAsync(CancellationToken.None);
        await _provider.DisposeAsync();
    }
}
