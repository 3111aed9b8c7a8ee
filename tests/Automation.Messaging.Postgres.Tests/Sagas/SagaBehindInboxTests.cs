using Automation.Messaging.Postgres.Tests.Hosting;
using Automation.Messaging.Postgres.Tests.Scheduling;
using Automation.Testing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Messaging.Postgres.Tests.Sagas;

/// <summary>A saga behind the consumer inbox: its row, the inbox row, what it publishes and what it schedules (a row of the
/// durable scheduler written in that same transaction) commit in the inbox's one transaction, or none of them does.</summary>
public sealed class SagaBehindInboxTests(PostgresDatabase database, RabbitMqVirtualHost virtualHost)
    : IClassFixture<PostgresDatabase>, IClassFixture<RabbitMqVirtualHost>
{
    private const string LedgerQueue = "ledger-saga";

    [Fact]
    public async Task A_saga_behind_the_inbox_commits_its_state_its_inbox_row_and_its_messages_together()
    {
        await using var service = await StartAsync();
        var ledgerId = Guid.NewGuid();
        var messageId = NewId.NextGuid();

        await Change(service, new ApplyChange(ledgerId, 5), messageId);

        await Eventually.Until(() => Applied(service).Of(messageId).Count > 0, "the saga's event was published");
        var ledger = await Ledger(service, ledgerId);
        Assert.Equal(5, ledger.Balance);
        Assert.Equal(5, Assert.Single(Applied(service).Of(messageId)).Balance);
        // Stored by the saga's own transaction (no command to the scheduler queue): there as soon as the saga's change is.
        var reminder = await service.StoredMessage(ledger.ReminderTokenId!.Value);
        Assert.NotNull(reminder);
        Assert.Null(reminder.DeliveredAt);
        Assert.Null(reminder.CancelledAt);
        var inbox = await InboxRow(service, messageId);
        Assert.NotNull(inbox?.Consumed);
    }

    [Fact]
    public async Task A_saga_that_fails_after_changing_state_commits_nothing_and_publishes_nothing()
    {
        await using var service = await StartAsync();
        var ledgerId = Guid.NewGuid();
        var first = NewId.NextGuid();
        await Change(service, new ApplyChange(ledgerId, 5), first);
        await Eventually.Until(() => Applied(service).Of(first).Count > 0, "the first change was applied");
        var firstReminder = (await Ledger(service, ledgerId)).ReminderTokenId!.Value;

        var failing = NewId.NextGuid();
        await Change(service, new ApplyChange(ledgerId, 7, FailAfterChange: true), failing);
        var faults = service.Services.GetRequiredService<Faults>();
        await Eventually.Until(() => faults.All.Count > 0, "the failing change faulted, retries exhausted");

        var sentinel = NewId.NextGuid();
        await Change(service, new ApplyChange(ledgerId, 1), sentinel);
        await Eventually.Until(() => Applied(service).Of(sentinel).Count > 0, "the change after the failure was applied");

        var ledger = await Ledger(service, ledgerId);
        Assert.Equal(5 + 1, ledger.Balance);
        Assert.Equal(6, Assert.Single(Applied(service).Of(sentinel)).Balance);
        Assert.Empty(Applied(service).Of(failing));
        Assert.Null((await InboxRow(service, failing))?.Consumed);
        Assert.Equal(0, await service.WithDbContext(db => db.Set<OutboxMessage>().CountAsync(message => message.InboxMessageId == failing)));

        // The failed attempts' reminders (and their cancel of the first one) never reached the scheduler: only the first
        // reminder, cancelled by the sentinel's reschedule, and the sentinel's own.
        var reminders = new[] { firstReminder, ledger.ReminderTokenId!.Value };
        await Eventually.Until(async () => (await service.StoredMessage(firstReminder))?.CancelledAt is not null
                && await service.StoredMessage(reminders[1]) is not null,
            "the sentinel's reschedule reached the scheduler");
        var ledgerText = ledgerId.ToString();
        var stored = await service.WithDbContext(db => db.ScheduledDeliveries.AsNoTracking()
            .Where(delivery => delivery.Body != null && delivery.Body.Contains(ledgerText))
            .Select(delivery => delivery.TokenId)
            .ToListAsync());
        Assert.Equal(reminders.Order(), stored.Order());
    }

    [Fact]
    public async Task A_duplicate_delivery_to_a_saga_behind_the_inbox_is_applied_once()
    {
        await using var service = await StartAsync();
        var ledgerId = Guid.NewGuid();
        var messageId = NewId.NextGuid();

        await Change(service, new ApplyChange(ledgerId, 5), messageId);
        await Change(service, new ApplyChange(ledgerId, 5), messageId);

        await Eventually.Until(async () => await InboxRow(service, messageId) is { ReceiveCount: >= 2, Delivered: not null },
            "both deliveries went through the inbox");
        Assert.Equal(5, (await Ledger(service, ledgerId)).Balance);
        Assert.Single(Applied(service).Of(messageId));
    }

    private Task<TestService> StartAsync() =>
        SchedulerService.StartAsync(database, virtualHost,
            configureBus: bus =>
            {
                bus.AddPostgresOutbox<TestServiceDbContext>();
                bus.AddSagaStateMachine<LedgerStateMachine, LedgerState>()
                    .Endpoint(endpoint => endpoint.Name = LedgerQueue)
                    .PostgresRepository<TestServiceDbContext>();
                bus.AddConsumer<ChangeAppliedRecorder>();
                bus.AddConsumer<FaultRecorder<ApplyChange>>();
                bus.AddConfigureEndpointsCallback((context, queue, endpoint) =>
                {
                    if (queue == LedgerQueue)
                    {
                        endpoint.UseMessageRetry(retry => retry.Immediate(2));
                        endpoint.UsePostgresInboxOutbox<TestServiceDbContext>(context);
                    }
                });
            },
            configureServices: services => services.AddSingleton<AppliedChanges>());

    private static Task Change(TestService service, ApplyChange change, Guid messageId) =>
        service.Bus.Publish(change, context => context.MessageId = messageId, TestContext.Current.CancellationToken);

    private static AppliedChanges Applied(TestService service) => service.Services.GetRequiredService<AppliedChanges>();

    private static Task<LedgerState> Ledger(TestService service, Guid ledgerId) =>
        service.WithDbContext(db => db.Ledgers.AsNoTracking().SingleAsync(ledger => ledger.CorrelationId == ledgerId));

    private static Task<InboxState?> InboxRow(TestService service, Guid messageId) =>
        service.WithDbContext(db => db.Inbox.AsNoTracking().SingleOrDefaultAsync(inbox => inbox.MessageId == messageId));
}
