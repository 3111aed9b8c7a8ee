using MassTransit;
using MassTransit.Context;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Automation.Messaging.Postgres;

/// <summary>One message's view of the saga table: loads, inserts, updates and deletes instances in the transaction the
/// factory set up (its own, or the inbox's). In the inbox's transaction with pessimistic concurrency, the instance's change is
/// left to the inbox's own SaveChanges, which writes it with the inbox row and the outgoing messages in one batch: the row is
/// locked, so no concurrent change can make that write fail where a saga-level retry would have been the answer.</summary>
internal sealed class PostgresSagaRepositoryContext<TSaga, TMessage> :
    ConsumeContextScope<TMessage>,
    SagaRepositoryContext<TSaga, TMessage>
    where TSaga : class, ISaga
    where TMessage : class
{
    private readonly DbContext _dbContext;
    private readonly ConsumeContext<TMessage> _consumeContext;
    private readonly ISagaConsumeContextFactory<DbContext, TSaga> _factory;
    private readonly SagaInstanceLoader<TSaga> _loader;
    private readonly bool _savedWithInbox;
    private const string InsertSavepoint = "saga_insert";

    public PostgresSagaRepositoryContext(DbContext dbContext, ConsumeContext<TMessage> consumeContext,
        ISagaConsumeContextFactory<DbContext, TSaga> factory, SagaInstanceLoader<TSaga> loader, bool savedWithInbox)
        : base(consumeContext, dbContext)
    {
        _dbContext = dbContext;
        _consumeContext = consumeContext;
        _factory = factory;
        _loader = loader;
        _savedWithInbox = savedWithInbox;
    }

    public Task<SagaConsumeContext<TSaga, TMessage>> Add(TSaga instance) =>
        _factory.CreateSagaConsumeContext(_dbContext, _consumeContext, instance, SagaConsumeContextMode.Add);

    public async Task<SagaConsumeContext<TSaga, TMessage>> Insert(TSaga instance)
    {
        await _loader.Lock(instance.CorrelationId, CancellationToken);
        var entry = _dbContext.Set<TSaga>().Add(instance);
        // The repository always works inside a transaction (its own or the inbox's, which takes no automatic savepoints):
        // a savepoint of our own lets the transaction go on when another message created the instance first.
        var transaction = _dbContext.Database.CurrentTransaction
            ?? throw new InvalidOperationException("The saga repository inserts only inside a transaction.");
        await transaction.CreateSavepointAsync(InsertSavepoint, CancellationToken);
        try
        {
            await _dbContext.SaveChangesAsync(CancellationToken);
        }
        catch (DbUpdateException exception) when (IsDuplicateKey(exception))
        {
            // The saga pipe loads the existing instance instead (a null here means "not inserted").
            await transaction.RollbackToSavepointAsync(InsertSavepoint, CancellationToken);
            entry.State = EntityState.Detached;
            return null!;
        }

        return await _factory.CreateSagaConsumeContext(_dbContext, _consumeContext, instance, SagaConsumeContextMode.Insert);
    }

    public async Task<SagaConsumeContext<TSaga, TMessage>> Load(Guid correlationId)
    {
        var instance = await _loader.Load(correlationId, CancellationToken);
        return instance is null
            ? null!
            : await _factory.CreateSagaConsumeContext(_dbContext, _consumeContext, instance, SagaConsumeContextMode.Load);
    }

    public async Task Save(SagaConsumeContext<TSaga> context)
    {
        var entry = _dbContext.Set<TSaga>().Add(context.Saga);
        if (_savedWithInbox)
        {
            // The advisory lock taken when the instance was found missing keeps a concurrent first message waiting.
            return;
        }

        try
        {
            await _dbContext.SaveChangesAsync(CancellationToken);
        }
        catch (DbUpdateException exception) when (IsDuplicateKey(exception))
        {
            entry.State = EntityState.Detached;
            throw new ConcurrencyException(
                "A concurrent message created this saga instance first; a retry loads it.", typeof(TSaga), context.Saga.CorrelationId, exception);
        }
    }

    public Task Update(SagaConsumeContext<TSaga> context) => _savedWithInbox ? Task.CompletedTask : SaveChanges(context.Saga);

    public Task Delete(SagaConsumeContext<TSaga> context)
    {
        _dbContext.Set<TSaga>().Remove(context.Saga);
        return _savedWithInbox ? Task.CompletedTask : SaveChanges(context.Saga);
    }

    public Task Discard(SagaConsumeContext<TSaga> context)
    {
        Forget(context.Saga);
        return Task.CompletedTask;
    }

    public Task Undo(SagaConsumeContext<TSaga> context)
    {
        // A read-only policy ran: put the values back, or a later SaveChanges on this scope (the inbox's) would write them.
        var entry = _dbContext.Entry(context.Saga);
        if (entry.State != EntityState.Detached)
        {
            entry.CurrentValues.SetValues(entry.OriginalValues);
            entry.State = EntityState.Unchanged;
        }

        return Task.CompletedTask;
    }

    public Task<SagaConsumeContext<TSaga, T>> CreateSagaConsumeContext<T>(ConsumeContext<T> consumeContext, TSaga instance,
        SagaConsumeContextMode mode)
        where T : class =>
        _factory.CreateSagaConsumeContext(_dbContext, consumeContext, instance, mode);

    private async Task SaveChanges(TSaga saga)
    {
        try
        {
            await _dbContext.SaveChangesAsync(CancellationToken);
        }
        catch (DbUpdateConcurrencyException exception)
        {
            Forget(saga);
            throw new ConcurrencyException(
                "The saga instance was changed by a concurrent message (its xmin moved); a retry loads the new version.",
                typeof(TSaga), saga.CorrelationId, exception);
        }
    }

    private void Forget(TSaga saga)
    {
        var entry = _dbContext.Entry(saga);
        if (entry.State != EntityState.Detached)
        {
            entry.State = EntityState.Detached;
        }
    }

    private static bool IsDuplicateKey(DbUpdateException exception) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
