using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Automation.Messaging.Postgres;

/// <summary>Loads saga instances for change inside the current transaction, locking them first when the concurrency
/// mode is pessimistic. One per scope (one DbContext, one transaction).</summary>
internal sealed class SagaInstanceLoader<TSaga>
    where TSaga : class, ISaga
{
    private readonly DbContext _dbContext;
    private readonly SagaConcurrencyMode _mode;
    private readonly SagaTable<TSaga> _table;
    private readonly HashSet<Guid> _locked = [];

    public SagaInstanceLoader(DbContext dbContext, SagaConcurrencyMode mode)
    {
        _dbContext = dbContext;
        _mode = mode;
        _table = SagaTable<TSaga>.Of(dbContext);
        if (mode == SagaConcurrencyMode.Optimistic && !_table.HasConcurrencyToken)
        {
            throw new InvalidOperationException(
                $"Optimistic concurrency for the saga {typeof(TSaga).Name} needs a concurrency token: implement "
                + $"{nameof(IRowVersioned)} and map it with {nameof(PostgresSagaMap<>)} (xmin).");
        }
    }

    /// <summary>Takes the advisory lock on the instance until the transaction ends: it is what makes a second first message
    /// wait for the first one's commit, as there is no row yet to lock. The caller must be in a READ COMMITTED transaction
    /// so that its next statement sees what the lock holder committed.</summary>
    public async Task Lock(Guid correlationId, CancellationToken cancellationToken)
    {
        if (_mode != SagaConcurrencyMode.Pessimistic || !_locked.Add(correlationId))
        {
            return;
        }

        await _dbContext.Database.ExecuteSqlRawAsync(
            "SELECT pg_advisory_xact_lock({0}, {1})",
            [_table.LockClass, SagaTable<TSaga>.LockObject(correlationId)],
            cancellationToken);
    }

    public async Task<TSaga?> Load(Guid correlationId, CancellationToken cancellationToken)
    {
        if (_mode == SagaConcurrencyMode.Optimistic)
        {
            return await _dbContext.Set<TSaga>().AsTracking()
                .SingleOrDefaultAsync(saga => saga.CorrelationId == correlationId, cancellationToken);
        }

        // An existing instance only needs its row lock (one round trip). A missing one may be being created by a
        // concurrent message: wait on the advisory lock for that message to finish, then look again.
        var instance = await LockRow(correlationId, cancellationToken);
        if (instance is not null || _locked.Contains(correlationId))
        {
            return instance;
        }

        await Lock(correlationId, cancellationToken);
        return await LockRow(correlationId, cancellationToken);
    }

    private async Task<TSaga?> LockRow(Guid correlationId, CancellationToken cancellationToken)
    {
        var rows = await _dbContext.Set<TSaga>().FromSqlRaw(_table.LockStatement, correlationId).AsTracking()
            .ToListAsync(cancellationToken);
        return rows.SingleOrDefault();
    }
}
