using MassTransit;
using MassTransit.Clients;
using MassTransit.DependencyInjection;
using MassTransit.Middleware;
using MassTransit.Middleware.Outbox;
using MassTransit.Transports;
using Microsoft.EntityFrameworkCore;

namespace Automation.Messaging.Postgres;

/// <summary>The scoped bus context outside a consumer: sends and publishes become rows of <typeparamref name="TDbContext"/>,
/// written by the application's own <c>SaveChanges</c> and committed (or rolled back) with its rows.</summary>
internal sealed class BusOutboxContext<TDbContext>(IBus bus, TDbContext dbContext, IClientFactory clientFactory, IServiceProvider provider, TimeProvider time)
    : ScopedBusContext, OutboxSendContext
    where TDbContext : DbContext
{
    private readonly Lock _adding = new();
    private readonly List<OutboxMessage> _outboxMessages = [];
    private OutboxState? _outbox;
    private ISendEndpointProvider? _sendEndpointProvider;
    private IPublishEndpoint? _publishEndpoint;
    private IScopedClientFactory? _clientFactory;

    public ISendEndpointProvider SendEndpointProvider => _sendEndpointProvider ??= new OutboxSendEndpointProvider(this, bus);

    public IPublishEndpoint PublishEndpoint => _publishEndpoint ??= new PublishEndpoint(new OutboxPublishEndpointProvider(this, bus));

    /// <summary>Requests and their responses cannot wait for a commit, so request clients talk to the broker directly.</summary>
    public IScopedClientFactory ClientFactory =>
        _clientFactory ??= new ScopedClientFactory(new ClientFactory(new ScopedClientFactoryContext(clientFactory, provider)), null);

    public Task AddSend<T>(SendContext<T> context)
        where T : class
    {
        var now = time.GetUtcNow().UtcDateTime;
        lock (_adding)
        {
            // One outbox per transaction: once the previous one was saved, later messages start a new outbox.
            if (_outbox is null || dbContext.Entry(_outbox).State != EntityState.Added)
            {
                _outbox = new OutboxState { OutboxId = NewId.NextGuid(), Created = now };
                _outboxMessages.Clear();
                dbContext.Add(_outbox);
            }

            var message = OutboxMessageFactory.Create(context, now, outboxId: _outbox.OutboxId);
            _outboxMessages.Add(message);
            dbContext.Add(message);
            BusOutboxCommitInterceptor.MarkPending(dbContext);
        }

        return Task.CompletedTask;
    }

    /// <summary>Takes the outbox not saved yet out of the DbContext (it will not be written by <c>SaveChanges</c>), for the
    /// application to write in its own statement; null when nothing was sent or published since the last save.</summary>
    public (OutboxState Outbox, IReadOnlyList<OutboxMessage> Messages)? TakeUnsaved()
    {
        lock (_adding)
        {
            if (_outbox is null || dbContext.Entry(_outbox).State != EntityState.Added)
            {
                return null;
            }

            var taken = (_outbox, (IReadOnlyList<OutboxMessage>)[.. _outboxMessages]);
            dbContext.Entry(_outbox).State = EntityState.Detached;
            foreach (var message in _outboxMessages)
            {
                dbContext.Entry(message).State = EntityState.Detached;
            }

            _outbox = null;
            _outboxMessages.Clear();
            BusOutboxCommitInterceptor.ClearPending(dbContext);
            return taken;
        }
    }

    public object? GetService(Type serviceType) => provider.GetService(serviceType);
}
