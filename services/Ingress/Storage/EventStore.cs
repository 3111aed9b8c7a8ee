using Automation.Contracts;
using Automation.Messaging.Postgres;
using MassTransit;

namespace Automation.Ingress.Storage;

/// <summary>Stores a request's event: publishes it into the request's bus outbox, and hands the event row and the outbox
/// rows to the <see cref="EventWriter"/>, which writes them with other requests' in one statement of
/// <see cref="EventsTable"/>; so they commit together or not at all, and the answer comes after that commit.</summary>
public sealed class EventStore(IPublishEndpoint publisher, IBusOutboxRows outboxRows, EventWriter writer, EventsTable table)
{
    /// <summary>Stores an event to deliver and its outgoing message, or finds the original when (source, event id) is
    /// already stored; in that case nothing is written and nothing is published.</summary>
    public async Task<StoreOutcome> AcceptAsync(ReceivedEvent row, IWebhookEvent webhookEvent, CancellationToken cancellationToken)
    {
        // The message id is our event id, so every consumer's inbox sees a redelivery as the same message.
        await publisher.Publish(webhookEvent, webhookEvent.GetType(), Pipe.Execute<PublishContext>(context => context.MessageId = row.Id),
            cancellationToken);
        var outbox = outboxRows.TakeUnsaved() ?? throw new InvalidOperationException("The publish reached no bus outbox.");
        return await writer.WriteAsync(row, outbox, cancellationToken);
    }

    /// <summary>The original of (source, event id) if it is stored, without storing anything: for when nothing new may
    /// be accepted (the outbox is past its backlog limit) but a duplicate can still be told it is one.</summary>
    public Task<Guid?> FindAsync(string source, string eventId, CancellationToken cancellationToken) =>
        table.FindAsync(source, eventId, cancellationToken);

    /// <summary>Records an event that no subscription wants; it is never published. A repeat finds the original.</summary>
    public Task<StoreOutcome> RecordIgnoredAsync(ReceivedEvent row, CancellationToken cancellationToken) =>
        writer.WriteAsync(row, outbox: null, cancellationToken);

    /// <inheritdoc cref="EventsTable.ForgetIdleConnections"/>
    public void ForgetIdleConnections() => table.ForgetIdleConnections();
}
