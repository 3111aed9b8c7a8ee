using MassTransit;
using MassTransit.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Messaging.Postgres;

/// <summary>Decides what the scoped <see cref="IPublishEndpoint"/> and <see cref="ISendEndpointProvider"/> are: inside a
/// consumer, the consume context's own endpoints (so the consumer's inbox/outbox captures them); anywhere else, the bus
/// outbox on <typeparamref name="TDbContext"/>.</summary>
internal sealed class BusOutboxScopedBusContextProvider<TDbContext> : IScopedBusContextProvider<IBus>
    where TDbContext : DbContext
{
    public BusOutboxScopedBusContextProvider(IBus bus, Bind<IBus, IClientFactory> clientFactory,
        Bind<IBus, IScopedConsumeContextProvider> busConsumeContext, IScopedConsumeContextProvider globalConsumeContext,
        IServiceProvider provider)
    {
        if (busConsumeContext.Value.HasContext)
        {
            Context = new ConsumeContextScopedBusContext(busConsumeContext.Value.GetContext(), clientFactory.Value);
        }
        else if (globalConsumeContext.HasContext)
        {
            Context = new ConsumeContextScopedBusContext<IBus>(bus, globalConsumeContext.GetContext(), clientFactory.Value, provider);
        }
        else
        {
            Context = new BusOutboxContext<TDbContext>(bus, provider.GetRequiredService<TDbContext>(), clientFactory.Value, provider,
                provider.GetService<TimeProvider>() ?? TimeProvider.System);
        }
    }

    public ScopedBusContext Context { get; }
}
