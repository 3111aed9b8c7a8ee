using Microsoft.EntityFrameworkCore;

namespace Automation.Messaging.Postgres;

/// <summary>Queue tables (the outbox, scheduled messages) grow from empty to tens of thousands of rows and back faster than
/// ANALYZE follows; and since they are nearly empty most of the time, that is what ANALYZE records (measured: 0 rows for
/// an outbox holding 52,000). Planned for an empty table, every scan looks free, and the delivery pass's pick became a
/// full scan and sort of the backlog, its message lookup a walk of a whole index per outbox: seconds per pass with
/// 50,000 waiting (measured: 6 to 8 s), so delivery slowed as the backlog grew and never caught up. The batch statements
/// of the delivery loops therefore run with:
/// <list type="bullet">
/// <item>plans made afresh for each execution: a prepared statement's generic plan is kept from whenever it was made;</item>
/// <item>no sort where an index gives the order: each pick takes the oldest rows by walking the index on its order
/// column and stops after a batch, whatever the table's size (a sort the statement cannot avoid still runs);</item>
/// <item>no JIT: an inflated estimate can pass <c>jit_above_cost</c>, and compiling took longer (10 to 90 ms) than running
/// the query.</item>
/// </list>
/// They run once per batch, so planning them afresh costs nothing that matters.</summary>
internal static class QueueTablePlans
{
    /// <summary>One statement (so it can lead a batch), with the effect of <c>SET LOCAL</c>: the settings end with the
    /// transaction.</summary>
    public const string FreshPlansSql =
        "SELECT set_config('plan_cache_mode', 'force_custom_plan', true), set_config('enable_sort', 'off', true), set_config('jit', 'off', true)";

    /// <summary>Plans the rest of the current transaction's statements afresh, walking indexes rather than sorting, without
    /// JIT.</summary>
    public static Task UseFreshPlansAsync(DbContext dbContext, CancellationToken cancellationToken) =>
        dbContext.Database.ExecuteSqlRawAsync(FreshPlansSql, cancellationToken);
}
