using Automation.Testing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Automation.Messaging.Postgres.Tests.Hosting;

/// <summary>One running instance of a service under test: its DbContext on the class's database, its bus on the class's
/// virtual host, started and ready. Two instances on the same database and virtual host are two replicas.</summary>
public sealed class TestService : IAsyncDisposable
{
    private readonly IHost _host;

    private TestService(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public IBus Bus => Services.GetRequiredService<IBus>();

    public static async Task<TestService> StartAsync(PostgresDatabase database, RabbitMqVirtualHost virtualHost,
        Action<IBusRegistrationConfigurator> configureBus, Action<IServiceCollection>? configureServices = null, bool retryOnFailure = false,
        string? connectionString = null, Uri? rabbitMqUri = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddDbContext<TestServiceDbContext>(options => options.UseNpgsql(connectionString ?? database.ConnectionString, npgsql =>
        {
            if (retryOnFailure)
            {
                npgsql.EnableRetryOnFailure(maxRetryCount: 2, maxRetryDelay: TimeSpan.FromMilliseconds(200), errorCodesToAdd: null);
            }
        }));
        configureServices?.Invoke(builder.Services);
        builder.Services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();
            configureBus(bus);
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(rabbitMqUri ?? virtualHost.Uri);
                rabbit.ConfigureEndpoints(context);
            });
        });

        var host = builder.Build();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<TestServiceDbContext>().Database.EnsureCreatedAsync();
        }

        await host.StartAsync();
        var health = await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
        if (health != BusHealthStatus.Healthy)
        {
            await host.StopAsync();
            host.Dispose();
            throw new InvalidOperationException($"The test service's bus did not become healthy ({health}).");
        }

        return new TestService(host);
    }

    /// <summary>Runs <paramref name="work"/> with a fresh DbContext, as a request would.</summary>
    public async Task<T> WithDbContext<T>(Func<TestServiceDbContext, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<TestServiceDbContext>());
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
