using MassTransit;
using MassTransit.DependencyInjection;
using MassTransit.Middleware.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Automation.Messaging.Postgres;

internal sealed class BusOutboxRows<TDbContext>(IScopedBusContextProvider<IBus> scopedBus, TDbContext dbContext,
    IBusOutboxNotification notification) : IBusOutboxRows
    where TDbContext : DbContext
{
    public BusOutboxInsert? TakeUnsaved()
    {
        if (scopedBus.Context is not BusOutboxContext<TDbContext> outbox)
        {
            throw new InvalidOperationException("Only a scope outside a consumer writes to the bus outbox; a consumer's messages belong to its inbox.");
        }

        return outbox.TakeUnsaved() is var (state, messages)
            ? new BusOutboxInsert(InboxOutboxTables.For(dbContext), state, messages, notification)
            : null;
    }
}
