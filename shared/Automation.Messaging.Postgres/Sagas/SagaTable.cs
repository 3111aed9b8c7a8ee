using System.Runtime.CompilerServices;
using System.Text;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Automation.Messaging.Postgres;

/// <summary>Where a saga type lives in a DbContext's model, read once per model: the statements the repository writes by
/// hand (row and advisory locks) follow whatever table and column names the model chose.</summary>
internal sealed class SagaTable<TSaga>
    where TSaga : class, ISaga
{
    private static readonly ConditionalWeakTable<IModel, SagaTable<TSaga>> ByModel = new();

    private SagaTable(string lockStatement, int lockClass, bool hasConcurrencyToken)
    {
        LockStatement = lockStatement;
        LockClass = lockClass;
        HasConcurrencyToken = hasConcurrencyToken;
    }

    /// <summary><c>SELECT … WHERE correlation id = {0} FOR UPDATE</c>, with the model's names.</summary>
    public string LockStatement { get; }

    /// <summary>The first key of the advisory lock: the table, so two saga types never share a lock.</summary>
    public int LockClass { get; }

    public bool HasConcurrencyToken { get; }

    public static SagaTable<TSaga> Of(DbContext dbContext) =>
        ByModel.GetValue(dbContext.Model, _ => Read(dbContext));

    /// <summary>The second key of the advisory lock: the correlation id folded to 32 bits. Two ids that fold alike only
    /// wait for each other; they never share a row.</summary>
    public static int LockObject(Guid correlationId)
    {
        Span<int> words = stackalloc int[4];
        correlationId.TryWriteBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(words));
        return words[0] ^ words[1] ^ words[2] ^ words[3];
    }

    private static SagaTable<TSaga> Read(DbContext dbContext)
    {
        var entity = dbContext.Model.FindEntityType(typeof(TSaga))
            ?? throw new InvalidOperationException(
                $"The saga {typeof(TSaga).Name} is not part of {dbContext.GetType().Name}'s model: apply its map "
                + $"(a {nameof(PostgresSagaMap<>)}) in OnModelCreating.");
        var table = entity.GetTableName()
            ?? throw new InvalidOperationException($"The saga {typeof(TSaga).Name} is not mapped to a table.");
        var schema = entity.GetSchema();
        var store = StoreObjectIdentifier.Table(table, schema);
        var correlationColumn = entity.FindProperty(nameof(ISaga.CorrelationId))?.GetColumnName(store)
            ?? throw new InvalidOperationException($"The saga {typeof(TSaga).Name} has no mapped {nameof(ISaga.CorrelationId)}.");

        var sql = dbContext.GetService<ISqlGenerationHelper>();
        // Every mapped column by name: "*" would leave out system columns such as xmin (the row version).
        var columns = string.Join(", ", entity.GetProperties()
            .Select(property => property.GetColumnName(store))
            .OfType<string>()
            .Distinct()
            .Select(column => sql.DelimitIdentifier(column)));
        var lockStatement = $"SELECT {columns} FROM {sql.DelimitIdentifier(table, schema)} "
            + $"WHERE {sql.DelimitIdentifier(correlationColumn)} = {{0}} FOR UPDATE";
        var hasConcurrencyToken = entity.GetProperties().Any(property => property.IsConcurrencyToken);
        return new SagaTable<TSaga>(lockStatement, StableHash($"{schema}.{table}"), hasConcurrencyToken);
    }

    // FNV-1a: the same number in every process, unlike string.GetHashCode.
    private static int StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return unchecked((int)hash);
    }
}
