using Automation.Hosting;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Automation.Orchestrator.Operations.DeadLetters;

/// <summary>Reads and redrives the messages of error queues over AMQP, on a connection of its own per call.</summary>
public sealed class ErrorQueues(IOptions<RabbitMqOptions> rabbit)
{
    public const string Suffix = "_error";

    public static bool IsErrorQueue(string queue) => queue.Length > Suffix.Length && queue.EndsWith(Suffix, StringComparison.Ordinal);

    /// <summary>MassTransit names a queue's error queue <c>{queue}_error</c>.</summary>
    public static string OriginalOf(string errorQueue) => errorQueue[..^Suffix.Length];

    /// <summary>Messages waiting in each queue (exact, from the broker; the management API's figures lag), without the ones
    /// that no longer exist.</summary>
    public async Task<IReadOnlyList<DeadLetterQueueView>> CountAsync(IEnumerable<string> queues, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken);
        var counted = new List<DeadLetterQueueView>();
        foreach (var queue in queues)
        {
            if (await MessageCountAsync(connection, queue, cancellationToken) is { } count)
            {
                counted.Add(new DeadLetterQueueView(queue, OriginalOf(queue), count));
            }
        }

        return counted;
    }

    /// <summary>The first <paramref name="limit"/> messages, left in the queue in their order; null when it does not exist.</summary>
    public async Task<DeadLetterPageView?> PeekAsync(string queue, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken);
        if (await MessageCountAsync(connection, queue, cancellationToken) is not { } count)
        {
            return null;
        }

        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        var items = new List<DeadLetterView>();
        ulong last = 0;
        while (items.Count < Math.Min(limit, count) && await channel.BasicGetAsync(queue, autoAck: false, cancellationToken) is { } message)
        {
            items.Add(DeadLetterMessage.Read(message.BasicProperties, message.Body));
            last = message.DeliveryTag;
        }

        if (last > 0)
        {
            // Back where they were: a requeued message keeps its place in the queue.
            await channel.BasicNackAsync(last, multiple: true, requeue: true, cancellationToken);
        }

        return new DeadLetterPageView(queue, OriginalOf(queue), count, items);
    }

    /// <summary>Messages a redrive publishes before it waits for their confirms (measured: one at a time, a confirm per
    /// persistent message made it about 280 messages/s).</summary>
    public const int RedriveBatch = 100;

    /// <summary>Moves the queue's messages (or the one with <paramref name="messageId"/>) back to the queue they faulted on,
    /// as they were (same MessageId and body, so the consumer's inbox still knows them) without the headers that describe
    /// the failure. Each is acknowledged here only once the broker confirmed its copy in the original queue: a redrive cut
    /// off half-way leaves at worst the messages in flight (one batch) in both queues (the inbox drops the second), never
    /// one in neither. Only the messages there when it started are moved, so one that faults again meanwhile is not moved
    /// twice.</summary>
    public async Task<RedriveOutcome> RedriveAsync(string queue, string? messageId, CancellationToken cancellationToken)
    {
        var original = OriginalOf(queue);
        await using var connection = await ConnectAsync(cancellationToken);
        if (await MessageCountAsync(connection, queue, cancellationToken) is not { } count)
        {
            return RedriveOutcome.Missing($"No queue named {queue}.");
        }

        if (await MessageCountAsync(connection, original, cancellationToken) is null)
        {
            return RedriveOutcome.Missing($"The queue its messages came from, {original}, does not exist.");
        }

        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
        var moved = new List<MovedMessage>();
        ulong lastPassedOver = 0;
        var taken = 0u;
        try
        {
            while (taken < count)
            {
                var batch = new List<(ulong Tag, IReadOnlyBasicProperties Properties, byte[] Body)>();
                while (batch.Count < (messageId is null ? RedriveBatch : 1) && taken < count
                    && await channel.BasicGetAsync(queue, autoAck: false, cancellationToken) is { } message)
                {
                    taken++;
                    if (messageId is not null && message.BasicProperties.MessageId != messageId)
                    {
                        lastPassedOver = message.DeliveryTag;
                        continue;
                    }

                    batch.Add((message.DeliveryTag, message.BasicProperties, message.Body.ToArray()));
                }

                if (batch.Count == 0)
                {
                    break;
                }

                var confirms = await Task.WhenAll(batch.Select(message => Settle(channel.BasicPublishAsync("", original, mandatory: true,
                    WithoutFailureHeaders(message.Properties), message.Body, cancellationToken))));
                foreach (var (message, failure) in batch.Zip(confirms))
                {
                    if (failure is not null)
                    {
                        // What is not acknowledged goes back to the error queue when the channel closes.
                        return new RedriveOutcome(original, moved, $"stopped after {moved.Count} message(s): {failure.Message}", Found: true);
                    }

                    await channel.BasicAckAsync(message.Tag, multiple: false, cancellationToken);
                    moved.Add(new MovedMessage(message.Properties.MessageId, DeadLetterMessage.Read(message.Properties, message.Body).MessageType));
                }

                if (messageId is not null)
                {
                    break;
                }
            }

            if (lastPassedOver > 0)
            {
                await channel.BasicNackAsync(lastPassedOver, multiple: true, requeue: true, cancellationToken);
            }
        }
        catch (Exception exception) when (IsChannelFailure(exception))
        {
            return new RedriveOutcome(original, moved, $"stopped after {moved.Count} message(s): {exception.Message}", Found: true);
        }

        return messageId is not null && moved.Count == 0
            ? RedriveOutcome.Missing($"No message with id {messageId} in {queue}.")
            : new RedriveOutcome(original, moved, null, Found: true);
    }

    private static BasicProperties WithoutFailureHeaders(IReadOnlyBasicProperties properties) => new(properties)
    {
        Headers = properties.Headers?.Where(header => !DeadLetterMessage.DescribesTheFailure(header.Key))
            .ToDictionary(header => header.Key, header => header.Value),
    };

    /// <summary>The publish's confirm, or why it did not come.</summary>
    private static async Task<Exception?> Settle(ValueTask publish)
    {
        try
        {
            await publish;
            return null;
        }
        catch (Exception exception) when (IsChannelFailure(exception))
        {
            return exception;
        }
    }

    private static bool IsChannelFailure(Exception exception) =>
        exception is PublishException or OperationInterruptedException or AlreadyClosedException;

    private Task<IConnection> ConnectAsync(CancellationToken cancellationToken) =>
        new ConnectionFactory { Uri = rabbit.Value.Uri!, ClientProvidedName = $"{OrchestratorApplication.ServiceName}-operations" }
            .CreateConnectionAsync(cancellationToken);

    /// <summary>Null when the queue does not exist (a passive declare closes its channel then, so each gets its own).</summary>
    private static async Task<uint?> MessageCountAsync(IConnection connection, string queue, CancellationToken cancellationToken)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue, cancellationToken)).MessageCount;
        }
        catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == 404)
        {
            return null;
        }
    }
}

/// <summary>What a redrive came to: the messages moved, and why it stopped early if it did; or that the queue or the
/// message was not there (<see cref="Found"/> false, with why in <see cref="Error"/>).</summary>
public sealed record RedriveOutcome(string OriginalQueue, IReadOnlyList<MovedMessage> Moved, string? Error, bool Found)
{
    public static RedriveOutcome Missing(string why) => new("", [], why, Found: false);
}
