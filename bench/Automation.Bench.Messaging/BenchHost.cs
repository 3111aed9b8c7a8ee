using Automation.Hosting;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Automation.Bench.Messaging;

/// <summary>A service process as the library meets it: a generic host with the bench DbContext (registered as the services
/// register theirs) and MassTransit over RabbitMQ with publisher confirms.</summary>
public static class BenchHost
{
    public static async Task<IHost> StartAsync(BenchServers servers, BenchCounters counters,
        Action<IBusRegistrationConfigurator> registration,
        Action<IBusRegistrationContext, IRabbitMqBusFactoryConfigurator>? endpoints = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders().AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(counters);
        // Exactly as the services register theirs (pooled, statements prepared).
        builder.Services.AddAutomationDbContext<BenchDbContext>(BenchDbContext.Schema, _ => servers.ConnectionString);
        builder.Services.Configure<MassTransitHostOptions>(options =>
        {
            options.WaitUntilStarted = true;
            options.StopTimeout = TimeSpan.FromSeconds(30);
        });
        builder.Services.AddMassTransit(bus =>
        {
            registration(bus);
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(servers.RabbitMqUri, host => host.PublisherConfirmation = true);
                endpoints?.Invoke(context, rabbit);
            });
        });

        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    public static async Task StopAsync(this IHost host)
    {
        await host.StopAsync(CancellationToken.None);
        host.Dispose();
    }
}
