using MassTransit;
using MassTransit.Middleware;
using MassTransit.Middleware.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Automation.Messaging.Postgres;

/// <summary>The consume context a consumer sees behind the inbox: its sends and publishes become outbox rows of the
/// scoped DbContext (in the transaction the inbox holds), and the inbox state says what is already done.</summary>
internal sealed class InboxOutboxConsumeContext<TMessage> : OutboxConsumeContextProxy<TMessage>
    where TMessage : class
{
    private readonly DbContext _dbContext;
    private readonly InboxState _inbox;
    private readonly TimeProvider _time;
    private readonly Lock _adding = new();
    private readonly List<OutboxMessage> _added = [];
    private readonly IReadOnlyList<OutboxMessage> _committedEarlier;
    private readonly bool _byBusOutbox;
    private OutboxState? _busOutbox;
    private MessageSchedulerContext? _scheduler;

    /// <param name="committedEarlier">The outgoing messages an earlier pass of this same receive added and committed: the
    /// delivery pass sends them without reading them back.</param>
    /// <param name="byBusOutbox">The outgoing messages become a bus outbox of their own, which the bus outbox delivery
    /// service sends after the commit, instead of being sent by a second pass of this receive.</param>
    public InboxOutboxConsumeContext(ConsumeContext<TMessage> context, OutboxConsumeOptions options, IServiceProvider provider,
        DbContext dbContext, InboxState inbox, TimeProvider time, IReadOnlyList<OutboxMessage> committedEarlier, bool byBusOutbox)
        : base(context, options, provider)
    {
        _dbContext = dbContext;
        _inbox = inbox;
        _time = time;
        _committedEarlier = committedEarlier;
        _byBusOutbox = byBusOutbox;
    }

    /// <summary>Gives the consumer its own scheduler (<see cref="TransactionalScheduling{TDbContext}"/>). Held here, not added as
    /// a payload: payloads of this proxy land on the received message's context, where the endpoint's scheduled redelivery,
    /// which runs after this transaction rolled back, must keep finding the scheduler queue's.</summary>
    public void UseScheduler(MessageSchedulerContext scheduler) => _scheduler = scheduler;

    public override bool HasPayloadType(Type payloadType) =>
        (_scheduler is not null && payloadType == typeof(MessageSchedulerContext)) || base.HasPayloadType(payloadType);

    public override bool TryGetPayload<T>(out T payload)
        where T : class
    {
        if (_scheduler is not null && typeof(T) == typeof(MessageSchedulerContext))
        {
            payload = (T)_scheduler;
            return true;
        }

        return base.TryGetPayload(out payload!);
    }

    public override T GetOrAddPayload<T>(PayloadFactory<T> payloadFactory)
        where T : class =>
        _scheduler is not null && typeof(T) == typeof(MessageSchedulerContext) ? (T)_scheduler : base.GetOrAddPayload(payloadFactory);

    /// <summary>The outgoing messages the consumer added in this pass that a later pass of this receive must send.</summary>
    public IReadOnlyList<OutboxMessage> Added => _byBusOutbox ? [] : _added;

    /// <summary>The original MessageId, also when the broker message is a redelivery or a retry.</summary>
    public override Guid? MessageId => _inbox.MessageId;

    public override bool ContinueProcessing { get; set; } = true;

    public override bool IsMessageConsumed => _inbox.Consumed.HasValue;

    public override bool IsOutboxDelivered => _inbox.Delivered.HasValue;

    public override int ReceiveCount => _inbox.ReceiveCount;

    public override long? LastSequenceNumber => _inbox.LastSequenceNumber;

    public override async Task SetConsumed()
    {
        var now = _time.GetUtcNow().UtcDateTime;
        _inbox.Consumed = now;
        if (_added.Count == 0 || _byBusOutbox)
        {
            // Nothing for this receive to deliver (nothing was sent, or the bus outbox delivery service owns the messages from
            // this commit on): one write marks the message consumed and delivered.
            _inbox.Delivered = now;
        }

        // One SaveChanges writes the consumer's own changes, its outgoing messages and the inbox state.
        await _dbContext.SaveChangesAsync(CancellationToken);
        ForgetConsumersEntities();
    }

    /// <summary>The consumer has finished and its changes are saved: its entities leave the change tracker, so that the
    /// pass's last SaveChanges (its delivery progress) does not look at them again, nor write again those whose values are
    /// saved on every save (the Orchestrator's runs, whose steps are jsonb written whole).</summary>
    private void ForgetConsumersEntities()
    {
        foreach (var entry in _dbContext.ChangeTracker.Entries().ToList())
        {
            if (entry.Entity is not (InboxState or OutboxMessage or OutboxState))
            {
                entry.State = EntityState.Detached;
            }
        }
    }

    public override async Task SetDelivered()
    {
        _inbox.Delivered = _time.GetUtcNow().UtcDateTime;
        await _dbContext.SaveChangesAsync(CancellationToken);
    }

    public override async Task<List<OutboxMessageContext>> LoadOutboxMessages()
    {
        if (_committedEarlier.Count > 0 && _inbox.LastSequenceNumber is null)
        {
            var known = _committedEarlier.OrderBy(message => message.SequenceNumber).Take(Options.MessageDeliveryLimit + 1).ToList();
            _dbContext.AttachRange(known);
            return known.Cast<OutboxMessageContext>().ToList();
        }

        var after = _inbox.LastSequenceNumber ?? 0;
        var messages = await _dbContext.Set<OutboxMessage>()
            .Where(message => message.InboxMessageId == _inbox.MessageId && message.InboxConsumerId == _inbox.ConsumerId
                && message.SequenceNumber > after)
            .OrderBy(message => message.SequenceNumber)
            .Take(Options.MessageDeliveryLimit + 1)
            .AsTracking()
            .ToListAsync(CancellationToken);
        return messages.Cast<OutboxMessageContext>().ToList();
    }

    /// <summary>The row is deleted in the same transaction that records the progress, so a delivered message is never
    /// loaded again.</summary>
    public override Task NotifyOutboxMessageDelivered(OutboxMessageContext message)
    {
        _inbox.LastSequenceNumber = message.SequenceNumber;
        _dbContext.Remove((OutboxMessage)message);
        return Task.CompletedTask;
    }

    public override Task RemoveOutboxMessages() =>
        _dbContext.Set<OutboxMessage>()
            .Where(message => message.InboxMessageId == _inbox.MessageId && message.InboxConsumerId == _inbox.ConsumerId)
            .ExecuteDeleteAsync(CancellationToken);

    public override Task AddSend<T>(SendContext<T> context)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        // A consumer may publish from several tasks at once; the DbContext must only see one at a time.
        lock (_adding)
        {
            if (context.TryGetPayload<ScheduledSend>(out var scheduled))
            {
                // Scheduled in this transaction (TransactionalScheduleMessageProvider): a row for the durable scheduler.
                _dbContext.Add(ScheduledDeliveryFactory.Create(context, scheduled, now));
                ScheduledDeliveryCommitInterceptor.MarkPending(_dbContext);
                return Task.CompletedTask;
            }

            OutboxMessage message;
            if (_byBusOutbox)
            {
                // Not keyed by the inbox row: MassTransit deletes a delivered message's inbox-keyed rows when a duplicate
                // arrives, and these wait for the delivery service.
                if (_busOutbox is null)
                {
                    _busOutbox = new OutboxState { OutboxId = NewId.NextGuid(), Created = now };
                    _dbContext.Add(_busOutbox);
                    BusOutboxCommitInterceptor.MarkPending(_dbContext);
                }

                message = OutboxMessageFactory.Create(context, now, outboxId: _busOutbox.OutboxId);
            }
            else
            {
                message = OutboxMessageFactory.Create(context, now, inboxMessageId: _inbox.MessageId, inboxConsumerId: _inbox.ConsumerId);
            }

            _dbContext.Add(message);
            _added.Add(message);
        }

        return Task.CompletedTask;
    }
}
