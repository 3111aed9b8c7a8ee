using Automation.Contracts;
using Automation.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Orchestrator.Tests.Service;

/// <summary>A step command sent while no queue takes it (its connector's topology not deployed yet) is not dropped by
/// RabbitMQ: it comes back, stays in the Orchestrator's outbox, and reaches the connector once its queue exists.</summary>
public sealed class CommandBeforeItsQueueTests(CommandBeforeItsQueueTests.Service service) : IClassFixture<CommandBeforeItsQueueTests.Service>
{
    public sealed class Service : OrchestratorService
    {
        protected override bool ConnectorsFromStart => false;
    }

    [Fact]
    public async Task A_step_command_sent_before_its_connectors_queue_exists_waits_in_the_outbox_and_is_delivered_once_it_does()
    {
        var eventId = TestEvents.NewEventId();
        // Published by the service's own bus: no connector (nor its queues) exists on this virtual host yet.
        await service.Services.GetRequiredService<IBus>().Publish(TestEvents.Content(eventId), TestContext.Current.CancellationToken);

        await service.WaitForRun(eventId, "content-published", "Running");
        // Dropped, the command would count as drop_unroutable and leave the outbox; returned, later passes send it again.
        await Eventually.Until(async () => await service.VirtualHost.MessageStatistic("return_unroutable") > 0,
            "RabbitMQ returned the step command (its statistics refresh every few seconds)", TimeSpan.FromSeconds(30));
        Assert.Equal(0, await service.VirtualHost.MessageStatistic("drop_unroutable"));

        await service.StartConnectorsAsync();

        await service.WaitForRun(eventId, "content-published", "Completed");
        Assert.Equal([typeof(LogCrmActivity), typeof(TriggerPipeline), typeof(SendNotification)],
            service.Connectors.Script.For(eventId).Select(command => command.GetType()));
    }
}
