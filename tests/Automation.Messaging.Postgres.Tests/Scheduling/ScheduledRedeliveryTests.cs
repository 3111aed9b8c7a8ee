using Automation.Messaging.Postgres.Tests.Hosting;
using Automation.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Messaging.Postgres.Tests.Scheduling;

/// <summary><c>UseScheduledRedelivery(…)</c> (delayed redelivery with backoff) through the durable scheduler, without
/// the broker's delayed-message plugin.</summary>
public sealed class ScheduledRedeliveryTests(PostgresDatabase database, RabbitMqVirtualHost virtualHost)
    : IClassFixture<PostgresDatabase>, IClassFixture<RabbitMqVirtualHost>
{
    [Fact]
    public async Task A_transiently_failing_consumer_is_redelivered_later_and_then_succeeds()
    {
        await using var service = await SchedulerService.StartAsync(database, virtualHost, configureBus: bus =>
        {
            bus.AddConsumer<FlakyWorkConsumer, FlakyWorkConsumerDefinition>();
            bus.AddConsumer<FaultRecorder<FlakyWork>>();
        }, configureServices: services => services.AddSingleton<WorkAttempts>());
        var workId = Guid.NewGuid();
        var recorded = service.Services.GetRequiredService<WorkAttempts>();

        await service.Bus.Publish(new FlakyWork(workId), TestContext.Current.CancellationToken);

        await Eventually.Until(() => recorded.Of(workId).Any(attempt => attempt.Succeeded), "the work finally succeeded",
            TimeSpan.FromSeconds(60));
        var tries = recorded.Of(workId);
        Assert.Equal(FlakyWorkConsumer.FailuresBeforeSuccess + 1, tries.Count);
        Assert.Equal([0, 1, 2], tries.Select(attempt => attempt.RedeliveryCount));
        for (var redelivery = 1; redelivery < tries.Count; redelivery++)
        {
            var earliest = tries[redelivery - 1].At + FlakyWorkConsumerDefinition.RedeliveryIntervals[redelivery - 1];
            Assert.True(tries[redelivery].At >= earliest, $"redelivery {redelivery} came at {tries[redelivery].At:O}, before {earliest:O}");
        }

        Assert.Empty(service.Services.GetRequiredService<Faults>().All);
    }
}
