using Microsoft.EntityFrameworkCore;

namespace Automation.Messaging.Postgres;

/// <summary>Queue tables (the outbox, scheduled messages) grow from empty to tens of thousands of rows and back faster than
/// ANALYZE follows. A statement Npgsql prepared while such a table was nearly empty keeps PostgreSQL's generic plan made for
/// that size: for the outbox delivery pass, a sequential scan of <c>outbox_message</c> per outbox, seconds per pass once a
/// backlog builds (measured: 0.6 ms with a fresh plan, 850 ms with the cached one, 60,000 waiting), so delivery falls behind
/// for good exactly when it is needed most. The batch statements of the delivery loops run once per batch, so planning
/// them afresh each time costs nothing that matters. JIT compilation is off for the same transactions: a large backlog
/// inflates the cost estimates past <c>jit_above_cost</c>, and compiling the pick query took longer (10 to 90 ms, and far
/// more on a busy machine) than running it.</summary>
internal static class QueueTablePlans
{
    public const string FreshPlansSql = "SET LOCAL plan_cache_mode = force_custom_plan; SET LOCAL jit = off";

    /// <summary>Plans the rest of the current transaction's statements for the tables as they are now, without JIT.</summary>
    public static Task UseFreshPlansAsync(DbContext dbContext, CancellationToken cancellationToken) =>
        dbContext.Database.ExecuteSqlRawAsync(FreshPlansSql, cancellationToken);
}
