using Automation.Messaging.Postgres;
using Automation.Messaging.Postgres.Tests.Hosting;
using Automation.Testing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Messaging.Postgres.Tests.Scheduling;

/// <summary>A test service hosting its own durable scheduler, with a reminder consumer to schedule to.</summary>
internal static class SchedulerService
{
    public const string SchedulerQueue = "test-service-scheduler";

    public static Task<TestService> StartAsync(PostgresDatabase database, RabbitMqVirtualHost virtualHost, Arrivals? arrivals = null,
        Action<IBusRegistrationConfigurator>? configureBus = null, Action<IServiceCollection>? configureServices = null,
        Action<PostgresMessageSchedulerOptions>? configureScheduler = null, string? connectionString = null, Uri? rabbitMqUri = null) =>
        TestService.StartAsync(database, virtualHost,
            bus =>
            {
                bus.AddPostgresMessageScheduler<TestServiceDbContext>(SchedulerQueue, configureScheduler);
                bus.AddConsumer<ReminderConsumer>().Endpoint(endpoint => endpoint.Name = ReminderConsumer.Queue);
                configureBus?.Invoke(bus);
            },
            services =>
            {
                services.AddSingleton(arrivals ?? new Arrivals());
                services.AddSingleton<Faults>();
                configureServices?.Invoke(services);
            },
            connectionString: connectionString, rabbitMqUri: rabbitMqUri);

    /// <summary>Schedules as a request would: in a scope of its own, saved at the end (with the bus outbox, the schedule
    /// command is written by that <c>SaveChanges</c> and sent after it commits).</summary>
    public static async Task<T> WithScheduler<T>(this TestService service, Func<IMessageScheduler, Task<T>> work)
    {
        await using var scope = service.Services.CreateAsyncScope();
        var result = await work(scope.ServiceProvider.GetRequiredService<IMessageScheduler>());
        await scope.ServiceProvider.GetRequiredService<TestServiceDbContext>().SaveChangesAsync();
        return result;
    }

    public static Task<ScheduledMessage<Reminder>> ScheduleReminder(this TestService service, Guid reminderId, DateTime dueAt) =>
        service.WithScheduler(scheduler => scheduler.ScheduleSend(ReminderConsumer.Address, dueAt, new Reminder(reminderId)));

    public static Task<ScheduledDelivery?> StoredMessage(this TestService service, Guid tokenId) =>
        service.WithDbContext(db => db.ScheduledDeliveries.AsNoTracking().SingleOrDefaultAsync(message => message.TokenId == tokenId));

    public static Arrivals Arrivals(this TestService service) => service.Services.GetRequiredService<Arrivals>();

    /// <summary>Schedules a reminder due after <paramref name="after"/> and waits until it arrived: then any message due
    /// before it has had its chance to be delivered.</summary>
    public static async Task WaitForSentinelDueAfter(this TestService service, DateTime after)
    {
        var sentinel = Guid.NewGuid();
        await service.ScheduleReminder(sentinel, after.AddSeconds(1));
        await Eventually.Until(() => service.Arrivals().Arrived(sentinel), "the sentinel reminder arrived", TimeSpan.FromSeconds(60));
    }
}
