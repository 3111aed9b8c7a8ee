using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Automation.Testing;

/// <summary>Asks the broker itself about a queue of a test's virtual host.</summary>
public static class BrokerQueues
{
    /// <summary>Ready messages in <paramref name="queue"/>, 0 when it does not exist.</summary>
    public static async Task<uint> MessageCount(this RabbitMqVirtualHost virtualHost, string queue)
    {
        await using var connection = await new ConnectionFactory { Uri = virtualHost.Uri }.CreateConnectionAsync(TestContext.Current.CancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: TestContext.Current.CancellationToken);
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue, TestContext.Current.CancellationToken)).MessageCount;
        }
        catch (OperationInterruptedException)
        {
            return 0;
        }
    }
}
