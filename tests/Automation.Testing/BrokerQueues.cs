using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Automation.Testing;

/// <summary>Asks the broker itself about a queue of a test's virtual host.</summary>
public static class BrokerQueues
{
    /// <summary>Ready messages in <paramref name="queue"/>, 0 when it does not exist.</summary>
    public static async Task<uint> MessageCount(this RabbitMqVirtualHost virtualHost, string queue) =>
        (await DeclarePassiveAsync(virtualHost, queue))?.MessageCount ?? 0;

    /// <summary>Consumers listening on <paramref name="queue"/> (a service that runs and consumes), 0 when it does not exist.</summary>
    public static async Task<uint> ConsumerCount(this RabbitMqVirtualHost virtualHost, string queue) =>
        (await DeclarePassiveAsync(virtualHost, queue))?.ConsumerCount ?? 0;

    /// <summary>The bodies of the messages waiting in <paramref name="queue"/> (e.g. an error queue), read without taking them:
    /// they are put back when the channel closes unacknowledged.</summary>
    public static async Task<IReadOnlyList<string>> PeekBodies(this RabbitMqVirtualHost virtualHost, string queue)
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var connection = await new ConnectionFactory { Uri = virtualHost.Uri }.CreateConnectionAsync(cancellation);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellation);
        var bodies = new List<string>();
        try
        {
            while (await channel.BasicGetAsync(queue, autoAck: false, cancellation) is { } message)
            {
                bodies.Add(Encoding.UTF8.GetString(message.Body.Span));
            }
        }
        catch (OperationInterruptedException)
        {
            // The queue does not exist: nothing waits in it.
        }

        return bodies;
    }

    private static async Task<QueueDeclareOk?> DeclarePassiveAsync(RabbitMqVirtualHost virtualHost, string queue)
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var connection = await new ConnectionFactory { Uri = virtualHost.Uri }.CreateConnectionAsync(cancellation);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellation);
        try
        {
            return await channel.QueueDeclarePassiveAsync(queue, cancellation);
        }
        catch (OperationInterruptedException)
        {
            return null;
        }
    }
}
