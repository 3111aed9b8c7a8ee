using System.Data;
using MassTransit;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;

namespace Automation.Messaging.Postgres;

/// <summary>Gives MassTransit's saga repository a <see cref="SagaRepositoryContext{TSaga,TMessage}"/> over the scope's
/// DbContext. When the inbox already runs a transaction on that DbContext, the saga joins it (the inbox commits the saga,
/// its inbox row and its outgoing messages together); otherwise the saga runs in a READ COMMITTED transaction of its own.</summary>
internal sealed class PostgresSagaRepositoryContextFactory<TDbContext, TSaga> :
    ISagaRepositoryContextFactory<TSaga>,
    IQuerySagaRepositoryContextFactory<TSaga>,
    ILoadSagaRepositoryContextFactory<TSaga>
    where TDbContext : DbContext
    where TSaga : class, ISaga
{
    private readonly TDbContext _dbContext;
    private readonly ISagaConsumeContextFactory<DbContext, TSaga> _consumeContextFactory;
    private readonly PostgresSagaRepositorySettings<TSaga> _settings;

    public PostgresSagaRepositoryContextFactory(TDbContext dbContext, ISagaConsumeContextFactory<DbContext, TSaga> consumeContextFactory,
        PostgresSagaRepositorySettings<TSaga> settings)
    {
        _dbContext = dbContext;
        _consumeContextFactory = consumeContextFactory;
        _settings = settings;
    }

    public Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next)
        where T : class =>
        InTransaction(context.CancellationToken, (loader, savedWithInbox) =>
            next.Send(new PostgresSagaRepositoryContext<TSaga, T>(_dbContext, context, _consumeContextFactory, loader, savedWithInbox)));

    public Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<TSaga> query, IPipe<SagaRepositoryQueryContext<TSaga, T>> next)
        where T : class =>
        InTransaction(context.CancellationToken, async (loader, savedWithInbox) =>
        {
            var ids = await _dbContext.Set<TSaga>().AsNoTracking()
                .Where(query.FilterExpression)
                .Select(saga => saga.CorrelationId)
                .ToListAsync(context.CancellationToken);
            var instances = new List<TSaga>(ids.Count);
            foreach (var id in ids)
            {
                // Loaded one by one so that each is locked (pessimistic) and re-read after its lock was granted.
                if (await loader.Load(id, context.CancellationToken) is { } instance)
                {
                    instances.Add(instance);
                }
            }

            var repositoryContext = new PostgresSagaRepositoryContext<TSaga, T>(_dbContext, context, _consumeContextFactory, loader, savedWithInbox);
            await next.Send(new LoadedSagaRepositoryQueryContext<TSaga, T>(repositoryContext, instances));
        });

    public Task<T> Execute<T>(Func<LoadSagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class =>
        asyncMethod(new PostgresSagaReadContext<TSaga>(_dbContext, cancellationToken));

    public Task<T> Execute<T>(Func<QuerySagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class =>
        asyncMethod(new PostgresSagaReadContext<TSaga>(_dbContext, cancellationToken));

    public void Probe(ProbeContext context)
    {
        context.Add("persistence", "postgresql");
        context.Add("concurrency", _settings.ConcurrencyMode.ToString());
    }

    /// <param name="work">Given the loader, and whether the inbox's SaveChanges writes the instance (it owns the transaction
    /// and instances are locked, so the repository need not write them itself).</param>
    private async Task InTransaction(CancellationToken cancellationToken, Func<SagaInstanceLoader<TSaga>, bool, Task> work)
    {
        if (_dbContext.Database.CurrentTransaction is not null)
        {
            // The inbox owns this transaction: join it, never begin or commit one.
            await Run(loader => work(loader, _settings.ConcurrencyMode == SagaConcurrencyMode.Pessimistic));
            return;
        }

        var strategy = _dbContext.Database.CreateExecutionStrategy();
        await _dbContext.RunOnOpenConnectionAsync(() => strategy.ExecuteAsync(async token =>
        {
            await using var transaction = await _dbContext.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, token);
            await Run(loader => work(loader, false));
            await transaction.CommitAsync(token);
        }, cancellationToken), cancellationToken);
    }

    private async Task Run(Func<SagaInstanceLoader<TSaga>, Task> work)
    {
        var loader = new SagaInstanceLoader<TSaga>(_dbContext, _settings.ConcurrencyMode);
        try
        {
            await work(loader);
        }
        catch
        {
            // The transaction rolls back; so must the tracked instances, or a later SaveChanges on this scope (the inbox
            // recording the failure, the execution strategy's next attempt) would write a half-changed saga.
            foreach (var entry in _dbContext.ChangeTracker.Entries<TSaga>().ToList())
            {
                entry.State = EntityState.Detached;
            }

            throw;
        }
    }
}
