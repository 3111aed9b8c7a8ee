using System.Diagnostics;
using Automation.Messaging.Postgres.Tests.Hosting;
using Automation.Testing;
using MassTransit;
using MassTransit.Scheduling;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Messaging.Postgres.Tests.Scheduling;

/// <summary>The durable scheduler through MassTransit's own scheduling API: stored in PostgreSQL, sent when due.</summary>
public sealed class DurableSchedulerTests(PostgresDatabase database, RabbitMqVirtualHost virtualHost)
    : IClassFixture<PostgresDatabase>, IClassFixture<RabbitMqVirtualHost>
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_scheduled_message_is_delivered_after_its_due_time_and_never_before()
    {
        await using var service = await SchedulerService.StartAsync(database, virtualHost);
        var now = DateTime.UtcNow;
        var dueTimes = new[] { 1, 2, 3 }.ToDictionary(_ => Guid.NewGuid(), seconds => now.AddSeconds(seconds));
        foreach (var (reminderId, dueAt) in dueTimes)
        {
            await service.ScheduleReminder(reminderId, dueAt);
        }

        foreach (var (reminderId, dueAt) in dueTimes)
        {
            await Eventually.Until(() => service.Arrivals().Arrived(reminderId), "the scheduled reminder arrived", Generous);
            var arrival = Assert.Single(service.Arrivals().Of(reminderId));
            Assert.True(arrival.ArrivedAt >= dueAt, $"arrived at {arrival.ArrivedAt:O}, before its due time {dueAt:O}");
        }
    }

    [Fact]
    public async Task A_scheduled_message_keeps_its_message_id_headers_and_trace()
    {
        using var listener = ListenToAllActivities();
        using var source = new ActivitySource("Automation.Messaging.Postgres.Tests");
        await using var service = await SchedulerService.StartAsync(database, virtualHost);
        var reminderId = Guid.NewGuid();
        var messageId = NewId.NextGuid();

        ActivityTraceId traceId;
        using (var activity = source.StartActivity("schedule a reminder"))
        {
            traceId = activity!.TraceId;
            await service.WithScheduler(scheduler => scheduler.ScheduleSend(ReminderConsumer.Address, DateTime.UtcNow.AddSeconds(1),
                new Reminder(reminderId), Pipe.Execute<SendContext<Reminder>>(context =>
                {
                    context.MessageId = messageId;
                    context.Headers.Set(ReminderConsumer.NoteHeader, "kept");
                })));
        }

        await Eventually.Until(() => service.Arrivals().Arrived(reminderId), "the scheduled reminder arrived", Generous);
        var arrival = Assert.Single(service.Arrivals().Of(reminderId));
        Assert.Equal(messageId, arrival.MessageId);
        Assert.Equal("kept", arrival.Note);
        Assert.Equal(traceId, arrival.TraceId);
    }

    [Fact]
    public async Task A_scheduled_publish_reaches_the_subscribers_after_its_due_time()
    {
        await using var service = await SchedulerService.StartAsync(database, virtualHost);
        var reminderId = Guid.NewGuid();
        var dueAt = DateTime.UtcNow.AddSeconds(1);

        await service.WithScheduler(scheduler => scheduler.SchedulePublish(dueAt, new Reminder(reminderId)));

        await Eventually.Until(() => service.Arrivals().Arrived(reminderId), "the published reminder arrived", Generous);
        Assert.True(Assert.Single(service.Arrivals().Of(reminderId)).ArrivedAt >= dueAt);
    }

    [Fact]
    public async Task A_cancelled_scheduled_message_is_never_delivered()
    {
        await using var service = await SchedulerService.StartAsync(database, virtualHost);
        var reminderId = Guid.NewGuid();
        var dueAt = DateTime.UtcNow.AddSeconds(2);
        var scheduled = await service.ScheduleReminder(reminderId, dueAt);

        await service.WithScheduler(async scheduler =>
        {
            await scheduler.CancelScheduledSend(ReminderConsumer.Address, scheduled.TokenId);
            return true;
        });

        await service.WaitForSentinelDueAfter(dueAt);
        Assert.False(service.Arrivals().Arrived(reminderId), "the cancelled reminder was delivered");
        var stored = await service.StoredMessage(scheduled.TokenId);
        Assert.NotNull(stored);
        Assert.NotNull(stored.CancelledAt);
        Assert.Null(stored.DeliveredAt);
    }

    [Fact]
    public async Task A_duplicate_schedule_command_stores_and_delivers_one_message()
    {
        await using var service = await SchedulerService.StartAsync(database, virtualHost);
        var reminderId = Guid.NewGuid();
        var tokenId = NewId.NextGuid();
        var commandId = NewId.NextGuid();
        var dueAt = DateTime.UtcNow.AddSeconds(2);
        var command = new ScheduleMessageCommand<Reminder>(dueAt, ReminderConsumer.Address, new Reminder(reminderId), tokenId);

        var schedulerQueue = await service.Bus.GetSendEndpoint(new Uri($"queue:{SchedulerService.SchedulerQueue}"));
        for (var copy = 0; copy < 2; copy++)
        {
            // The same command twice, as a broker redelivery or a repeated outbox send would bring it.
            await schedulerQueue.Send<ScheduleMessage>(command, context => context.MessageId = commandId, TestContext.Current.CancellationToken);
        }

        await service.WaitForSentinelDueAfter(dueAt);
        Assert.Single(service.Arrivals().Of(reminderId));
        // Recorded when the scheduler's pass commits, which can be after the sentinel sent in that same pass arrived.
        await Eventually.Until(async () => (await service.StoredMessage(tokenId))?.DeliveredAt is not null, "the delivery was recorded");
    }

    [Fact]
    public async Task A_cancel_that_overtakes_its_schedule_still_cancels_it()
    {
        await using var service = await SchedulerService.StartAsync(database, virtualHost);
        var reminderId = Guid.NewGuid();
        var tokenId = NewId.NextGuid();
        var dueAt = DateTime.UtcNow.AddSeconds(2);
        var schedulerQueue = await service.Bus.GetSendEndpoint(new Uri($"queue:{SchedulerService.SchedulerQueue}"));

        // The cancel was decided after the schedule was sent, but is consumed first.
        await schedulerQueue.Send<CancelScheduledMessage>(new
        {
            CorrelationId = NewId.NextGuid(),
            Timestamp = DateTime.UtcNow.AddSeconds(1),
            TokenId = tokenId,
        }, TestContext.Current.CancellationToken);
        await Eventually.Until(async () => await service.StoredMessage(tokenId) is not null, "the cancel was stored");
        await schedulerQueue.Send<ScheduleMessage>(
            new ScheduleMessageCommand<Reminder>(dueAt, ReminderConsumer.Address, new Reminder(reminderId), tokenId),
            TestContext.Current.CancellationToken);

        await service.WaitForSentinelDueAfter(dueAt);
        Assert.False(service.Arrivals().Arrived(reminderId), "the reminder cancelled before its schedule arrived was delivered");
    }

    [Fact]
    public async Task A_recurring_schedule_is_refused_with_a_fault()
    {
        await using var service = await SchedulerService.StartAsync(database, virtualHost,
            configureBus: bus => bus.AddConsumer<FaultRecorder<ScheduleRecurringMessage>>());

        await using (var scope = service.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IRecurringMessageScheduler>()
                .ScheduleRecurringSend(ReminderConsumer.Address, new EveryMinute(), new Reminder(Guid.NewGuid()), TestContext.Current.CancellationToken);
        }

        var faults = service.Services.GetRequiredService<Faults>();
        await Eventually.Until(() => faults.All.Count > 0, "the recurring schedule faulted", Generous);
        var exception = Assert.Single(Assert.Single(faults.All).Exceptions);
        Assert.Equal(typeof(NotSupportedException).FullName, exception.ExceptionType);
        Assert.Contains("recurring", exception.Message, StringComparison.OrdinalIgnoreCase);
    }

    private static ActivityListener ListenToAllActivities()
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    private sealed class EveryMinute : DefaultRecurringSchedule
    {
        public EveryMinute() => CronExpression = "0 * * * * ?";
    }
}
