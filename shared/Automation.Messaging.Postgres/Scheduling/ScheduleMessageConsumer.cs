using MassTransit;
using MassTransit.Scheduling;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Automation.Messaging.Postgres;

/// <summary>Takes MassTransit's scheduling commands from the service's scheduler queue and stores them in
/// <c>scheduled_message</c>; <see cref="ScheduledDeliveryService{TDbContext}"/> sends each when due. Recurring
/// schedules are not supported: their commands fault, so the sender learns it instead of waiting forever.</summary>
internal sealed class ScheduleMessageConsumer<TDbContext> :
    IConsumer<ScheduleMessage>,
    IConsumer<CancelScheduledMessage>,
    IConsumer<ScheduleRecurringMessage>,
    IConsumer<CancelScheduledRecurringMessage>,
    IConsumer<PauseScheduledRecurringMessage>,
    IConsumer<ResumeScheduledRecurringMessage>
    where TDbContext : DbContext
{
    private const string RecurringNotSupported =
        "The PostgreSQL message scheduler does not support recurring schedules; schedule each message with ScheduleSend.";

    private readonly TDbContext _dbContext;
    private readonly ScheduledDeliveryStore _store;
    private readonly ScheduledDeliverySignal _signal;
    private readonly TimeProvider _time;
    private readonly ILogger<ScheduleMessageConsumer<TDbContext>> _logger;

    public ScheduleMessageConsumer(TDbContext dbContext, ScheduledDeliverySignal signal, TimeProvider time,
        ILogger<ScheduleMessageConsumer<TDbContext>> logger)
    {
        _dbContext = dbContext;
        _store = new ScheduledDeliveryStore(dbContext);
        _signal = signal;
        _time = time;
        _logger = logger;
    }

    public Task Consume(ConsumeContext<ScheduleMessage> context) => _dbContext.RunOnOpenConnectionAsync(async () =>
    {
        var message = ScheduledDeliveryFactory.Create(context, _time.GetUtcNow().UtcDateTime);
        if (await _store.Schedule(message, context.CancellationToken))
        {
            _signal.Notify();
            _logger.LogDebug("Scheduled {TokenId} for {DueAt:O} to {Destination}", message.TokenId, message.DueAt, message.Destination);
        }
        else
        {
            _logger.LogDebug("Ignored schedule {TokenId}: a duplicate, or older than the token's latest command", message.TokenId);
        }
    }, context.CancellationToken);

    public Task Consume(ConsumeContext<CancelScheduledMessage> context) => _dbContext.RunOnOpenConnectionAsync(async () =>
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var commandTime = ScheduledDeliveryFactory.Utc(context.Message.Timestamp == default ? context.SentTime ?? now : context.Message.Timestamp);
        var cancelled = await _store.Cancel(context.Message.TokenId, commandTime, now, context.CancellationToken);
        _logger.LogDebug(cancelled ? "Cancelled {TokenId}" : "Cancel of {TokenId} changed nothing: already delivered, cancelled or rescheduled",
            context.Message.TokenId);
    }, context.CancellationToken);

    public Task Consume(ConsumeContext<ScheduleRecurringMessage> context) => throw new NotSupportedException(RecurringNotSupported);

    public Task Consume(ConsumeContext<CancelScheduledRecurringMessage> context) => throw new NotSupportedException(RecurringNotSupported);

    public Task Consume(ConsumeContext<PauseScheduledRecurringMessage> context) => throw new NotSupportedException(RecurringNotSupported);

    public Task Consume(ConsumeContext<ResumeScheduledRecurringMessage> context) => throw new NotSupportedException(RecurringNotSupported);
}
