using System.Diagnostics.Metrics;
using MassTransit.Middleware;
using MassTransit.Middleware.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MassTransit;
using MassTransit.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Automation.Messaging.Postgres;

public static class PostgresOutboxRegistrationExtensions
{
    /// <summary>Registers the PostgreSQL inbox/outbox for <typeparamref name="TDbContext"/> (whose model calls
    /// <c>AddPostgresInboxOutbox()</c>): the context factory that <c>UsePostgresInboxOutbox</c> endpoints use, the inbox
    /// cleanup service and, with <see cref="PostgresOutboxConfigurator.UseBusOutbox"/>, the bus outbox and its delivery
    /// service.</summary>
    public static IBusRegistrationConfigurator AddPostgresOutbox<TDbContext>(this IBusRegistrationConfigurator bus,
        Action<PostgresOutboxConfigurator>? configure = null)
        where TDbContext : DbContext
    {
        var settings = new PostgresOutboxConfigurator();
        configure?.Invoke(settings);

        bus.TryAddSingleton(TimeProvider.System);
        bus.TryAddScoped<IOutboxContextFactory<TDbContext>, InboxOutboxContextFactory<TDbContext>>();
        bus.TryAddSingleton(new ConsumerOutboxDelivery<TDbContext>(ByBusOutbox: settings.BusOutbox is not null));

        if (settings.InboxCleanupEnabled)
        {
            bus.AddOptions<InboxCleanupServiceOptions<TDbContext>>().Configure(options =>
            {
                options.DuplicateDetectionWindow = settings.DuplicateDetectionWindow;
                options.QueryDelay = settings.QueryDelay;
                options.QueryMessageLimit = settings.QueryMessageLimit;
                options.QueryTimeout = settings.QueryTimeout;
            });
            bus.AddHostedService<InboxCleanupService<TDbContext>>();
        }

        if (settings.BusOutbox is { } busOutbox)
        {
            AddBusOutbox<TDbContext>(bus, settings, busOutbox);
        }

        return bus;
    }

    private static void AddBusOutbox<TDbContext>(IBusRegistrationConfigurator bus, PostgresOutboxConfigurator settings,
        PostgresBusOutboxConfigurator busOutbox)
        where TDbContext : DbContext
    {
        bus.AddOptions<OutboxDeliveryServiceOptions>().Configure(options =>
        {
            options.QueryDelay = settings.QueryDelay;
            options.QueryMessageLimit = settings.QueryMessageLimit;
            options.QueryTimeout = settings.QueryTimeout;
            options.MessageDeliveryLimit = busOutbox.MessageDeliveryLimit;
            options.MessageDeliveryTimeout = busOutbox.MessageDeliveryTimeout;
        });
        bus.Replace(ServiceDescriptor.Scoped<IScopedBusContextProvider<IBus>, BusOutboxScopedBusContextProvider<TDbContext>>());
        bus.TryAddScoped<IBusOutboxRows, BusOutboxRows<TDbContext>>();
        bus.Replace(ServiceDescriptor.Singleton<IBusOutboxNotification, BusOutboxSignal>());
        bus.TryAddSingleton<BusOutboxCommitInterceptor>();
        bus.ConfigureDbContext<TDbContext>((provider, options) => options.AddInterceptors(provider.GetRequiredService<BusOutboxCommitInterceptor>()));
        bus.TryAddSingleton<IOutboxBacklogMonitor>(provider => new OutboxBacklogMonitor<TDbContext>(
            provider.GetRequiredService<IServiceScopeFactory>(), provider.GetRequiredService<TimeProvider>(), settings.BacklogCacheDuration,
            provider.GetRequiredService<IMeterFactory>()));

        if (busOutbox.DeliveryServiceEnabled)
        {
            if (busOutbox.DeliveryPasses < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(PostgresBusOutboxConfigurator.DeliveryPasses), busOutbox.DeliveryPasses, "DeliveryPasses must be at least 1.");
            }

            if (busOutbox.DeliveryGatherDelay < TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(PostgresBusOutboxConfigurator.DeliveryGatherDelay), busOutbox.DeliveryGatherDelay, "DeliveryGatherDelay cannot be negative.");
            }

            bus.TryAddSingleton(new BusOutboxDeliveryPasses(busOutbox.DeliveryPasses, busOutbox.DeliveryGatherDelay, busOutbox.ConfigureSend));
            bus.AddHostedService<BusOutboxDeliveryService<TDbContext>>();
        }
    }

    /// <summary>Puts every consumer and saga of the endpoint behind the PostgreSQL inbox/outbox of
    /// <typeparamref name="TDbContext"/> (registered with <c>AddPostgresOutbox</c>). Configure <c>UseMessageRetry</c> before
    /// this, so each retry runs in a fresh scope with a fresh DbContext.</summary>
    public static void UsePostgresInboxOutbox<TDbContext>(this IReceiveEndpointConfigurator endpoint, IRegistrationContext context,
        Action<IOutboxOptionsConfigurator>? configure = null)
        where TDbContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(context);
        var observer = new MassTransit.Configuration.OutboxConsumePipeSpecificationObserver<TDbContext>(endpoint, context)
        {
            // MassTransit's default of one message per pass costs a transaction per outgoing message.
            MessageDeliveryLimit = 100,
        };
        configure?.Invoke(observer);
        endpoint.ConnectConsumerConfigurationObserver(observer);
        endpoint.ConnectSagaConfigurationObserver(observer);
    }
}
