using MassTransit;
using MassTransit.Middleware;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;

namespace Automation.Messaging.Postgres;

/// <summary>Reads saga instances outside a message (an operator API, a test): no tracking, no lock, no transaction.</summary>
internal sealed class PostgresSagaReadContext<TSaga> :
    BasePipeContext,
    LoadSagaRepositoryContext<TSaga>,
    QuerySagaRepositoryContext<TSaga>
    where TSaga : class, ISaga
{
    private readonly DbContext _dbContext;

    public PostgresSagaReadContext(DbContext dbContext, CancellationToken cancellationToken)
        : base(cancellationToken) =>
        _dbContext = dbContext;

    public async Task<TSaga> Load(Guid correlationId) =>
        (await _dbContext.Set<TSaga>().AsNoTracking()
            .SingleOrDefaultAsync(saga => saga.CorrelationId == correlationId, CancellationToken))!;

    public async Task<SagaRepositoryQueryContext<TSaga>> Query(ISagaQuery<TSaga> query, CancellationToken cancellationToken)
    {
        var ids = await _dbContext.Set<TSaga>().AsNoTracking()
            .Where(query.FilterExpression)
            .Select(saga => saga.CorrelationId)
            .ToListAsync(cancellationToken);
        return new DefaultSagaRepositoryQueryContext<TSaga>(this, ids);
    }
}
