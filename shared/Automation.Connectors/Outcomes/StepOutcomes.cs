using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Automation.Connectors;

/// <summary>The <c>step_outcome</c> rows, through the consumer's scoped DbContext: a recorded outcome is saved by the inbox's
/// commit, with the message marked consumed and the result published, or not at all.</summary>
public sealed class StepOutcomes(DbContext dbContext, TimeProvider clock, ConnectorRetryOptions retries)
{
    /// <summary>Serialises the messages of one key until the inbox transaction ends: two messages for the same step (a resent
    /// command beside its original, under another MessageId) would otherwise both find no outcome and both call.</summary>
    public Task LockAsync(string key, CancellationToken cancellationToken) =>
        dbContext.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({key}, 0))", cancellationToken);

    public Task<StepOutcome?> FindAsync(string key, CancellationToken cancellationToken) =>
        dbContext.Set<StepOutcome>().AsNoTracking().SingleOrDefaultAsync(outcome => outcome.Key == key, cancellationToken);

    public StepOutcome Record(string key, string? externalReference, string? detail)
    {
        var outcome = new StepOutcome
        {
            Key = key,
            ExternalReference = externalReference,
            Detail = detail,
            CompletedAt = clock.GetUtcNow().UtcDateTime,
        };
        dbContext.Add(outcome);
        return outcome;
    }

    /// <summary>How many calls the step took: this delivery's tries, plus the earlier deliveries', each of which spent the
    /// immediate retries before it was redelivered (all but one that failed with a <c>Retry-After</c>, which skips them: then
    /// this counts a few calls too many).</summary>
    public int AttemptsOf(ConsumeContext context) =>
        context.GetRedeliveryCount() * (retries.ImmediateIntervals.Length + 1) + context.GetRetryAttempt() + 1;
}
