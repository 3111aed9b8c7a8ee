using Automation.Hosting;
using Automation.Messaging.Postgres.Tests.Messages;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Automation.Messaging.Postgres.Tests.Infrastructure;

public sealed class ComplianceHostSettings
{
    public required string ConnectionString { get; init; }

    public required Uri RabbitMqUri { get; init; }

    public bool RetryOnFailure { get; init; }

    /// <summary>Register the DbContext as every service does (<c>AddAutomationDbContext</c>: pooled, with the services'
    /// connection settings) instead of plainly.</summary>
    public bool AsTheServices { get; init; }

    /// <summary>Default: the bus outbox with a one-second fallback poll.</summary>
    public Action<PostgresOutboxConfigurator> Outbox { get; init; } = outbox =>
    {
        outbox.QueryDelay = TimeSpan.FromSeconds(1);
        outbox.UseBusOutbox();
    };

    /// <summary>A FIFO endpoint (one message at a time) recording <see cref="OrderPlaced"/>, <see cref="OrderProcessed"/>
    /// and <see cref="Marker"/>.</summary>
    public string? ReceiverQueue { get; init; }

    /// <summary>An endpoint running <see cref="ProcessOrderConsumer"/> behind the inbox.</summary>
    public string? InboxQueue { get; init; }

    public int InboxConcurrency { get; init; } = 16;

    public Action<IReceiveEndpointConfigurator>? ConfigureInboxEndpoint { get; init; }
}

/// <summary>A service process as the library meets it: a generic host with the test DbContext, MassTransit over RabbitMQ
/// and the PostgreSQL inbox/outbox, migrated at start.</summary>
public sealed class ComplianceHost : IAsyncDisposable
{
    private readonly IHost _host;

    private ComplianceHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public ReceivedMessages Received => Services.GetRequiredService<ReceivedMessages>();

    public InboxProbe Probe => Services.GetRequiredService<InboxProbe>();

    public IBus Bus => Services.GetRequiredService<IBus>();

    public static async Task<ComplianceHost> StartAsync(ComplianceHostSettings settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (settings.AsTheServices)
        {
            builder.Services.AddAutomationDbContext<TestDbContext>(TestDbContext.Schema, _ => settings.ConnectionString);
        }
        else
        {
            builder.Services.AddDbContext<TestDbContext>(options => TestDbContext.Configure(options, settings.ConnectionString, settings.RetryOnFailure));
        }

        builder.Services.AddPostgresMigrations<TestDbContext>(migrateOnStart: true);
        builder.Services.AddSingleton<ReceivedMessages>();
        builder.Services.AddSingleton<InboxProbe>();
        builder.Services.Configure<MassTransitHostOptions>(options =>
        {
            options.WaitUntilStarted = true;
            options.StopTimeout = TimeSpan.FromSeconds(15);
        });
        builder.Services.AddMassTransit(bus =>
        {
            bus.AddPostgresOutbox<TestDbContext>(settings.Outbox);
            bus.AddConsumer<RecordingConsumer<OrderPlaced>>();
            bus.AddConsumer<RecordingConsumer<OrderProcessed>>();
            bus.AddConsumer<RecordingConsumer<Marker>>();
            bus.AddConsumer<ProcessOrderConsumer>();
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(settings.RabbitMqUri);
                if (settings.ReceiverQueue is { } receiverQueue)
                {
                    rabbit.ReceiveEndpoint(receiverQueue, endpoint =>
                    {
                        endpoint.PrefetchCount = 1;
                        endpoint.ConcurrentMessageLimit = 1;
                        endpoint.ConfigureConsumer<RecordingConsumer<OrderPlaced>>(context);
                        endpoint.ConfigureConsumer<RecordingConsumer<OrderProcessed>>(context);
                        endpoint.ConfigureConsumer<RecordingConsumer<Marker>>(context);
                    });
                }

                if (settings.InboxQueue is { } inboxQueue)
                {
                    rabbit.ReceiveEndpoint(inboxQueue, endpoint =>
                    {
                        endpoint.PrefetchCount = settings.InboxConcurrency;
                        endpoint.ConcurrentMessageLimit = settings.InboxConcurrency;
                        endpoint.UseMessageRetry(retry => retry.Immediate(3));
                        settings.ConfigureInboxEndpoint?.Invoke(endpoint);
                        endpoint.UsePostgresInboxOutbox<TestDbContext>(context);
                        endpoint.ConfigureConsumer<ProcessOrderConsumer>(context);
                    });
                }
            });
        });

        var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        return new ComplianceHost(host);
    }

    /// <summary>Does what a web request does: application rows and published messages, saved together.</summary>
    public async Task CommitAsync(Func<TestDbContext, IPublishEndpoint, Task> work)
    {
        await using var scope = Services.CreateAsyncScope();
        var dbContext = scope.ServiceProvider.GetRequiredService<TestDbContext>();
        await work(dbContext, scope.ServiceProvider.GetRequiredService<IPublishEndpoint>());
        await dbContext.SaveChangesAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
    }
}
