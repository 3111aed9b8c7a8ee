using Automation.Messaging.Postgres;
using Automation.Messaging.Postgres.Tests.Hosting;
using Automation.Testing;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Automation.Messaging.Postgres.Tests.Scheduling;

/// <summary>State-machine <c>Schedule(…)</c> / <c>Unschedule(…)</c> through the durable scheduler, on a PostgreSQL saga.</summary>
public sealed class SagaTimeoutTests(PostgresDatabase database, RabbitMqVirtualHost virtualHost)
    : IClassFixture<PostgresDatabase>, IClassFixture<RabbitMqVirtualHost>
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_saga_timeout_fires_through_the_durable_scheduler()
    {
        await using var service = await StartAsync();
        var waitId = Guid.NewGuid();
        await service.Bus.Publish(new StartWaiting(waitId), TestContext.Current.CancellationToken);
        await Eventually.Until(async () => (await Wait(service, waitId))?.TimeoutTokenId is not null, "the saga scheduled its timeout");
        var tokenId = (await Wait(service, waitId))!.TimeoutTokenId!.Value;

        await Eventually.Until(async () => (await Wait(service, waitId))?.CurrentState == nameof(WaitStateMachine.GaveUp),
            "the timeout reached the saga", Generous);
        var wait = (await Wait(service, waitId))!;
        Assert.True(wait.TimedOutAt >= wait.StartedAt + WaitStateMachine.Timeout,
            $"timed out at {wait.TimedOutAt:O}, before {WaitStateMachine.Timeout} had passed since {wait.StartedAt:O}");
        // The scheduler records the delivery when its pass commits, which can be after the saga has consumed the message.
        await Eventually.Until(async () => (await service.StoredMessage(tokenId))?.DeliveredAt is not null, "the delivery was recorded");
    }

    [Fact]
    public async Task An_unscheduled_saga_timeout_is_never_delivered()
    {
        await using var service = await StartAsync();
        var waitId = Guid.NewGuid();
        await service.Bus.Publish(new StartWaiting(waitId), TestContext.Current.CancellationToken);
        await Eventually.Until(async () => (await Wait(service, waitId))?.TimeoutTokenId is not null, "the saga scheduled its timeout");
        var started = (await Wait(service, waitId))!;
        var tokenId = started.TimeoutTokenId!.Value;

        await service.Bus.Publish(new StopWaiting(waitId), TestContext.Current.CancellationToken);
        await Eventually.Until(async () => (await service.StoredMessage(tokenId))?.CancelledAt is not null, "the timeout was cancelled");

        // A second saga's timeout, due after the first one's would have been, fires: the first had its chance.
        var laterId = Guid.NewGuid();
        await service.Bus.Publish(new StartWaiting(laterId), TestContext.Current.CancellationToken);
        await Eventually.Until(async () => (await Wait(service, laterId))?.CurrentState == nameof(WaitStateMachine.GaveUp),
            "the later saga's timeout fired", Generous);

        var wait = (await Wait(service, waitId))!;
        Assert.Equal(nameof(WaitStateMachine.Done), wait.CurrentState);
        Assert.Null(wait.TimedOutAt);
        Assert.Null((await service.StoredMessage(tokenId))!.DeliveredAt);
    }

    private Task<TestService> StartAsync() =>
        SchedulerService.StartAsync(database, virtualHost,
            configureBus: bus => bus.AddSagaStateMachine<WaitStateMachine, WaitState>().PostgresRepository<TestServiceDbContext>());

    private static Task<WaitState?> Wait(TestService service, Guid waitId) =>
        service.WithDbContext(db => db.Waits.AsNoTracking().SingleOrDefaultAsync(wait => wait.CorrelationId == waitId));
}
