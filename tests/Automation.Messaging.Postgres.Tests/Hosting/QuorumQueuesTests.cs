using Automation.Contracts;
using Automation.Hosting;
using Automation.Messaging.Postgres.Tests.Infrastructure;
using Automation.Messaging.Postgres.Tests.Messages;
using Automation.Testing;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Automation.Messaging.Postgres.Tests.Hosting;

/// <summary><c>RabbitMq:QuorumQueues</c> as the broker sees it: a service built with the shared hosting
/// (<c>AddAutomationMessaging</c>, its consumer behind the inbox) declares its receive queues as quorum queues when the
/// setting is on and as classic queues when it is off, as the management API reports them, and consumes from them.</summary>
public sealed class QuorumQueuesTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private const string ServiceName = "hosting";

    /// <summary>The consumer's queue: the service's name, then the consumer's (the shared hosting's name formatter).</summary>
    private const string ConsumerQueue = ServiceName + "-process-order";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(true, "quorum")]
    [InlineData(false, "classic")]
    public async Task The_services_receive_queues_are_declared_with_the_type_the_setting_asks_for(bool quorumQueues, string type)
    {
        // A queue's type is fixed when it is first declared: each case on a virtual host of its own.
        await using var virtualHost = new RabbitMqVirtualHost();
        await virtualHost.InitializeAsync();
        var host = await StartServiceAsync(virtualHost, quorumQueues);
        try
        {
            await Eventually.Until(async () => (await virtualHost.Queues()).Any(queue => queue.Name == ConsumerQueue), $"{ConsumerQueue} was declared");
            var queues = (await virtualHost.Queues()).Where(queue => queue.Name.StartsWith(ServiceName + "-", StringComparison.Ordinal)).ToList();
            Assert.All(queues, queue => Assert.Equal((queue.Name, type), (queue.Name, queue.Type)));
            Assert.All(queues, queue => Assert.Equal((queue.Name, quorumQueues ? "quorum" : null), (queue.Name, queue.DeclaredType)));

            // Sent as the Orchestrator sends step commands: a queue: address would declare the queue without x-queue-type,
            // which RabbitMQ refuses for a quorum queue (PRECONDITION_FAILED, MassTransit issue #2709).
            var orderId = Guid.NewGuid();
            var endpoint = await host.Services.GetRequiredService<IBus>().GetSendEndpoint(StepCommandQueues.Address(ConsumerQueue));
            using var sendTimeout = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
            sendTimeout.CancelAfter(Eventually.DefaultTimeout);
            await endpoint.Send(new ProcessOrder(orderId), sendTimeout.Token);
            var probe = host.Services.GetRequiredService<InboxProbe>();
            await Eventually.Until(() => probe.Completions.ContainsKey(orderId), $"the consumer took the order from its {type} queue");
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
            host.Dispose();
        }
    }

    private async Task<IHost> StartServiceAsync(RabbitMqVirtualHost virtualHost, bool quorumQueues)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RabbitMq:Uri"] = virtualHost.Uri.ToString(),
            ["RabbitMq:QuorumQueues"] = quorumQueues ? "true" : "false",
            ["ConnectionStrings:Automation"] = database.ConnectionString,
        });
        builder.Services.AddSingleton<InboxProbe>();
        builder.AddAutomationMessaging<TestDbContext>(ServiceName, TestDbContext.Schema,
            bus => bus.AddConsumer<ProcessOrderConsumer, ProcessOrderConsumerDefinition>());
        var host = builder.Build();
        await host.StartAsync(Cancellation);
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, timeout.Token);
        return host;
    }

    /// <summary>The services' inbox policy, unchanged.</summary>
    private sealed class ProcessOrderConsumerDefinition : InboxConsumerDefinition<ProcessOrderConsumer, TestDbContext>;
}
