using Automation.Messaging.Postgres;
using Automation.Orchestrator.Persistence;
using Automation.Orchestrator.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.EndToEnd.Tests.Infrastructure;

/// <summary>What the Orchestrator recorded, read from its own tables (<c>orchestrator.runs</c>, its inbox and its durable
/// scheduler), as an operator would.</summary>
public sealed class RunsTable(IServiceProvider orchestrator)
{
    /// <summary>The run of <paramref name="rule"/> for the event once it is in <paramref name="state"/>.</summary>
    public async Task<RunState> WaitFor(string eventId, string rule, string state, TimeSpan? timeout = null)
    {
        RunState? run = null;
        await Eventually.Until(async () =>
        {
            run = (await Of(eventId)).SingleOrDefault(candidate => candidate.Rule == rule);
            return run?.CurrentState == state;
        }, $"the run of {rule} for {eventId} is {state} (it is {run?.CurrentState ?? "not started"}; {run?.Failure})", timeout);
        return run!;
    }

    /// <summary>Every run of the event, by rule.</summary>
    public Task<List<RunState>> Of(string eventId) =>
        Query(db => db.Runs.AsNoTracking().Where(run => run.EventId == eventId).OrderBy(run => run.Rule).ToListAsync());

    /// <summary>Whether the Orchestrator stored its copy of the event: it has received it, and started the runs it
    /// matched in the same transaction.</summary>
    public Task<bool> HasCopyOf(string eventId) => Query(db => db.Events.AnyAsync(copy => copy.EventId == eventId));

    /// <summary>The Orchestrator's inbox row of a message it received.</summary>
    public Task<InboxState?> InboxRow(Guid messageId) =>
        Query(db => db.Set<InboxState>().AsNoTracking().SingleOrDefaultAsync(inbox => inbox.MessageId == messageId));

    /// <summary>The step timeouts of a run in the Orchestrator's durable scheduler.</summary>
    public Task<List<ScheduledDelivery>> TimeoutsOf(Guid runId)
    {
        var id = runId.ToString();
        return Query(db => db.Set<ScheduledDelivery>().AsNoTracking().Where(message => message.Body != null && message.Body.Contains(id)).ToListAsync());
    }

    private async Task<T> Query<T>(Func<OrchestratorDbContext, Task<T>> query)
    {
        await using var scope = orchestrator.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<OrchestratorDbContext>());
    }
}
