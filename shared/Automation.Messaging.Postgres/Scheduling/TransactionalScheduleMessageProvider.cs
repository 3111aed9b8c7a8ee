using MassTransit;
using MassTransit.Context;
using MassTransit.Scheduling;
using Microsoft.EntityFrameworkCore;

namespace Automation.Messaging.Postgres;

/// <summary>The scheduler a consumer or saga behind the inbox sees (<see cref="TransactionalScheduling{TDbContext}"/>): a
/// schedule becomes a <c>scheduled_message</c> row and a cancel an update of one, both in the inbox's transaction, instead of
/// a <see cref="ScheduleMessage"/> / <see cref="CancelScheduledMessage"/> command to the scheduler queue. Same outcome (the
/// row exists, or is cancelled, exactly when the consumer's changes commit) without two broker round trips and a scheduler
/// transaction per command: a saga step that schedules its timeout and cancels the previous one cost four of each.</summary>
internal sealed class TransactionalScheduleMessageProvider(ConsumeContext context, DbContext dbContext, TimeProvider time)
    : IScheduleMessageProvider
{
    public async Task<ScheduledMessage<T>> ScheduleSend<T>(Uri destinationAddress, DateTime scheduledTime, T message,
        IPipe<SendContext<T>> pipe, CancellationToken cancellationToken)
        where T : class
    {
        var tokenId = ScheduleTokenIdCache<T>.GetTokenId(message);
        var endpoint = await context.GetSendEndpoint(destinationAddress);
        // The send goes through the inbox's outbox context, which sees the ScheduledSend payload and stores the message
        // as a scheduled row rather than an outbox row (InboxOutboxConsumeContext.AddSend).
        await endpoint.Send(message, new ScheduledSendPipe<T>(pipe, new ScheduledSend(tokenId, scheduledTime)), cancellationToken);
        return new ScheduledMessageHandle<T>(tokenId, scheduledTime, destinationAddress, message);
    }

    public Task CancelScheduledSend(Guid tokenId, CancellationToken cancellationToken) =>
        Cancel(tokenId, cancellationToken);

    public Task CancelScheduledSend(Uri destinationAddress, Guid tokenId, CancellationToken cancellationToken) =>
        Cancel(tokenId, cancellationToken);

    private async Task Cancel(Guid tokenId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await new ScheduledDeliveryStore(dbContext).Cancel(tokenId, now, now, cancellationToken);
    }

    /// <summary>Marks the send as scheduled (token and due time) and sets the token header the receiving saga compares with
    /// its own, as MassTransit's scheduling pipe does.</summary>
    private sealed class ScheduledSendPipe<T>(IPipe<SendContext<T>> pipe, ScheduledSend scheduled) : IPipe<SendContext<T>>
        where T : class
    {
        public async Task Send(SendContext<T> context)
        {
            context.ScheduledMessageId = scheduled.TokenId;
            context.Headers.Set(MessageHeaders.SchedulingTokenId, scheduled.TokenId.ToString("N"));
            context.GetOrAddPayload(() => scheduled);
            if (pipe.IsNotEmpty())
            {
                await pipe.Send(context);
            }
        }

        public void Probe(ProbeContext context) => pipe.Probe(context);
    }
}

/// <summary>A send that is a schedule: the outbox context stores it in <c>scheduled_message</c>, due at <paramref name="DueAt"/>.</summary>
internal sealed record ScheduledSend(Guid TokenId, DateTime DueAt);

/// <summary>Registered by <c>AddPostgresMessageScheduler&lt;TDbContext&gt;</c>: consumers behind the inbox of
/// <typeparamref name="TDbContext"/> schedule and cancel in their own transaction (<see cref="TransactionalScheduleMessageProvider"/>).</summary>
internal sealed class TransactionalScheduling<TDbContext>
    where TDbContext : DbContext
{
    /// <summary>The scheduler the consumer behind the inbox sees, writing through <paramref name="dbContext"/>.</summary>
    public static MessageSchedulerContext Create(ConsumeContext context, DbContext dbContext, IBusTopology topology, TimeProvider time) =>
        new ConsumeMessageSchedulerContext(context,
            _ => new MessageScheduler(new TransactionalScheduleMessageProvider(context, dbContext, time), topology));
}
