using Automation.Testing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Automation.Bench.SagaAndScheduler;

/// <summary>One service process under measurement: <see cref="BenchDbContext"/> on the run's database, a bus on its
/// virtual host, started and ready.</summary>
internal static class BenchHost
{
    public static async Task<IHost> StartAsync(PostgresDatabase database, RabbitMqVirtualHost virtualHost,
        Action<IBusRegistrationConfigurator> configureBus, Action<IServiceCollection>? configureServices = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Critical);
        builder.Services.AddDbContext<BenchDbContext>(options => options.UseNpgsql(database.ConnectionString));
        configureServices?.Invoke(builder.Services);
        builder.Services.AddMassTransit(bus =>
        {
            configureBus(bus);
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(virtualHost.Uri);
                rabbit.ConfigureEndpoints(context);
            });
        });
        var host = builder.Build();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<BenchDbContext>().Database.EnsureCreatedAsync();
        }

        await host.StartAsync();
        await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
        return host;
    }
}
