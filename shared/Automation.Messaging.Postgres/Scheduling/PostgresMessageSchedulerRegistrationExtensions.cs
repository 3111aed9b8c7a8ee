using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Automation.Messaging.Postgres;

public static class PostgresMessageSchedulerRegistrationExtensions
{
    /// <summary>Hosts the service's own durable scheduler: a consumer on <paramref name="queueName"/> stores
    /// MassTransit's scheduling commands in <typeparamref name="TDbContext"/>'s <c>scheduled_message</c> table (add it
    /// with <c>modelBuilder.AddScheduledDeliveries()</c>), and a background service sends each message when due.
    /// <c>IMessageScheduler</c>, <c>context.ScheduleSend/SchedulePublish</c>, state-machine <c>Schedule(…)</c> and
    /// <c>UseScheduledRedelivery(…)</c> all go through it, on every endpoint configured by <c>ConfigureEndpoints</c>
    /// (an endpoint configured by hand calls <c>UseMessageScheduler(new Uri("exchange:" + queueName))</c> itself). The
    /// commands go to the queue's exchange, not to a <c>queue:</c> address, whose send would declare the queue again without
    /// its type (refused for a quorum queue).
    /// Recurring schedules are not supported and fault.</summary>
    /// <example><code>
    /// bus.AddPostgresMessageScheduler&lt;OrchestratorDbContext&gt;("orchestrator-scheduler");
    /// </code></example>
    public static IBusRegistrationConfigurator AddPostgresMessageScheduler<TDbContext>(this IBusRegistrationConfigurator bus,
        string queueName, Action<PostgresMessageSchedulerOptions>? configure = null)
        where TDbContext : DbContext
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queueName);
        var schedulerAddress = new Uri($"exchange:{queueName}");

        bus.AddOptions<PostgresMessageSchedulerOptions>()
            .Configure(options =>
            {
                options.QueueName = queueName;
                configure?.Invoke(options);
            })
            .ValidateOnStart();
        bus.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgresMessageSchedulerOptions>, PostgresMessageSchedulerOptionsValidator>());
        bus.TryAddSingleton(TimeProvider.System);
        bus.TryAddSingleton<ScheduledDeliverySignal>();
        bus.AddHostedService<ScheduledDeliveryService<TDbContext>>();

        bus.AddConsumer<ScheduleMessageConsumer<TDbContext>, ScheduleMessageConsumerDefinition<TDbContext>>()
            .Endpoint(endpoint => endpoint.Name = queueName);
        // Consumers behind the inbox of TDbContext write their schedules in their own transaction; everything else (scheduled
        // redelivery, endpoints without the inbox) sends commands to the scheduler queue.
        bus.TryAddSingleton<TransactionalScheduling<TDbContext>>();
        bus.TryAddSingleton<ScheduledDeliveryCommitInterceptor>();
        bus.ConfigureDbContext<TDbContext>((provider, options) => options.AddInterceptors(provider.GetRequiredService<ScheduledDeliveryCommitInterceptor>()));
        bus.AddMessageScheduler(schedulerAddress);
        bus.AddConfigureEndpointsCallback((_, endpoint) => endpoint.UseMessageScheduler(schedulerAddress));
        return bus;
    }
}
