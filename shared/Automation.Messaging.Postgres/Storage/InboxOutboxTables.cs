using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Automation.Messaging.Postgres;

/// <summary>The quoted, schema-qualified names of the inbox and outbox tables of one DbContext model, for the hand-written
/// SQL of the hot paths (locks, batches) that LINQ cannot express.</summary>
internal sealed record InboxOutboxTables(string InboxState, string OutboxState, string OutboxMessage)
{
    public const string InboxStateTable = "inbox_state";
    public const string OutboxStateTable = "outbox_state";
    public const string OutboxMessageTable = "outbox_message";

    private static readonly ConcurrentDictionary<IModel, InboxOutboxTables> ByModel = new();

    public static InboxOutboxTables For(DbContext dbContext) => ByModel.GetOrAdd(dbContext.Model, model => new InboxOutboxTables(
        QualifiedName(model, typeof(InboxState)),
        QualifiedName(model, typeof(OutboxState)),
        QualifiedName(model, typeof(OutboxMessage))));

    private static string QualifiedName(IModel model, Type entity)
    {
        var entityType = model.FindEntityType(entity)
            ?? throw new InvalidOperationException(
                $"The model has no {entity.Name}: call modelBuilder.AddPostgresInboxOutbox() in OnModelCreating of the DbContext.");
        var table = entityType.GetTableName()!;
        var schema = entityType.GetSchema();
        return schema is null ? Quote(table) : $"{Quote(schema)}.{Quote(table)}";
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
