using System.Diagnostics;
using System.Threading.Channels;
using Automation.Ingress.Telemetry;
using Automation.Messaging.Postgres;
using Npgsql;

namespace Automation.Ingress.Storage;

/// <summary>Stores received events (accepted ones with their outgoing messages), several requests per statement (group
/// commit, the statement being <see cref="EventsTable.InsertAsync"/>): each writer takes every request waiting when it is
/// free, up to <see cref="MaxBatch"/>, and stores them in one statement, so one commit, one WAL flush and one round trip
/// serve them all, and PostgreSQL runs a few busy sessions instead of one per request in flight. Nobody waits for a batch to fill: a request that finds a writer free is written alone at once. Each
/// request is answered only after the statement holding it has committed.</summary>
public sealed partial class EventWriter(EventsTable table, ILogger<EventWriter> logger) : BackgroundService
{
    /// <summary>Statements in progress at once: enough for one statement's commit and round trip to overlap the others'
    /// work, few enough that under load each carries many requests (about a dozen at 64 in flight, measured).</summary>
    public const int Writers = 4;

    /// <summary>The most requests one statement carries, which bounds its size and the time its requests wait on it.</summary>
    public const int MaxBatch = 128;

    private readonly Channel<PendingEvent> _pending = Channel.CreateUnbounded<PendingEvent>();

    /// <summary>Stores the event and its outbox (taken from the request's scope; none for an event that is only recorded),
    /// or finds the original when (source, event id) is already stored, in which case nothing is written.</summary>
    /// <remarks>The request's trace shows the store as a span of its own (<c>ingress store</c>), lasting from the hand-over
    /// to the commit; the statement that wrote it (<c>ingress group commit</c>) is a child of the first recorded request's
    /// store span and linked from the others'.</remarks>
    public async Task<StoreOutcome> WriteAsync(ReceivedEvent row, BusOutboxInsert? outbox, CancellationToken cancellationToken)
    {
        using var activity = IngressTelemetry.ActivitySource.StartActivity("ingress store");
        var pending = new PendingEvent(row, outbox, activity?.Context ?? default);
        if (!_pending.Writer.TryWrite(pending))
        {
            throw new IngressStoppingException();
        }

        try
        {
            // A request that goes away stops waiting; its event is still written, and the sender's retry is a duplicate.
            var outcome = await pending.Outcome.Task.WaitAsync(cancellationToken);
            activity?.SetTag("automation.duplicate", outcome.IsDuplicate);
            return outcome;
        }
        catch (Exception exception)
        {
            activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            throw;
        }
    }

    /// <summary>Writes these events in one statement, as a writer does with the requests it found waiting together.</summary>
    internal async Task<Task<StoreOutcome>[]> WriteTogetherAsync(IEnumerable<(ReceivedEvent Row, BusOutboxInsert? Outbox)> events)
    {
        var batch = events.Select(e => new PendingEvent(e.Row, e.Outbox, default)).ToList();
        await WriteAsync(batch);
        return [.. batch.Select(pending => pending.Outcome.Task)];
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(() => WriteLoopAsync(stoppingToken), stoppingToken)));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            // Whatever is still waiting once the writers have stopped is answered 503, which its sender retries.
            _pending.Writer.TryComplete();
            while (_pending.Reader.TryRead(out var pending))
            {
                pending.Outcome.TrySetException(new IngressStoppingException());
            }
        }
    }

    private async Task WriteLoopAsync(CancellationToken stoppingToken)
    {
        var batch = new List<PendingEvent>(MaxBatch);
        while (await _pending.Reader.WaitToReadAsync(stoppingToken))
        {
            while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            if (batch.Count > 0)
            {
                // Not cancelled by the stop: a statement under way finishes (its command timeout bounds it) and answers.
                await WriteAsync(batch);
                batch.Clear();
            }
        }
    }

    private async Task WriteAsync(IReadOnlyList<PendingEvent> batch)
    {
        // In the trace of the first request recorded, linked from the others'; a batch of requests none of which is
        // recorded (sampled out) records nothing, not even its statement.
        var recorded = batch.Select(pending => pending.RequestContext)
            .Where(context => context.TraceFlags.HasFlag(ActivityTraceFlags.Recorded)).ToList();
        using var quiet = recorded.Count == 0 ? BackgroundPassTelemetry.Quiet() : null;
        using var activity = recorded.Count == 0 ? null : IngressTelemetry.ActivitySource.StartActivity("ingress group commit",
            ActivityKind.Internal, recorded[0], links: recorded.Skip(1).Select(context => new ActivityLink(context)));
        activity?.SetTag("automation.batch.size", batch.Count);
        IReadOnlyList<PendingEvent> unresolved;
        try
        {
            unresolved = await StoreAsync(batch);
        }
        catch (PostgresException exception) when (!exception.IsTransient && batch.Count > 1)
        {
            // One row the database refuses must not fail the requests that share its statement: each goes alone.
            LogBatchRefused(exception, batch.Count);
            foreach (var pending in batch)
            {
                await WriteAsync([pending]);
            }

            return;
        }
        catch (Exception exception)
        {
            activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            foreach (var pending in batch)
            {
                pending.Outcome.TrySetException(exception);
            }

            return;
        }

        foreach (var pending in unresolved)
        {
            await ResolveAsync(pending);
        }
    }

    /// <summary>Writes the batch in one statement and answers every request whose outcome it returned; returns the
    /// others.</summary>
    private async Task<IReadOnlyList<PendingEvent>> StoreAsync(IReadOnlyList<PendingEvent> batch)
    {
        var outboxes = new BusOutboxBatch();
        foreach (var pending in batch)
        {
            if (pending.Outbox is not null)
            {
                outboxes.Add(pending.Row.Id, pending.Outbox);
            }
        }

        var outcomes = await table.InsertAsync([.. batch.Select(pending => pending.Row)], outboxes);
        if (outboxes.Count > 0 && outcomes.Values.Any(outcome => !outcome.IsDuplicate))
        {
            outboxes.Stored();
        }

        var unresolved = new List<PendingEvent>();
        foreach (var pending in batch)
        {
            if (outcomes.TryGetValue(pending.Row.Id, out var outcome))
            {
                pending.Outcome.TrySetResult(outcome);
            }
            else
            {
                unresolved.Add(pending);
            }
        }

        return unresolved;
    }

    /// <summary>A request whose original was not visible to its statement: committed now, so found now; unless it was
    /// purged in between (retention), and then the event is written again.</summary>
    private async Task ResolveAsync(PendingEvent pending)
    {
        Guid? original;
        try
        {
            original = await table.FindAsync(pending.Row.Source, pending.Row.EventId, CancellationToken.None);
        }
        catch (Exception exception)
        {
            pending.Outcome.TrySetException(exception);
            return;
        }

        if (original is { } id)
        {
            pending.Outcome.TrySetResult(new StoreOutcome(id, IsDuplicate: true));
        }
        else
        {
            await WriteAsync([pending]);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL refused a batch of {Count} events; writing each alone")]
    private partial void LogBatchRefused(Exception exception, int count);

    private sealed class PendingEvent(ReceivedEvent row, BusOutboxInsert? outbox, ActivityContext requestContext)
    {
        public ReceivedEvent Row { get; } = row;

        public BusOutboxInsert? Outbox { get; } = outbox;

        public ActivityContext RequestContext { get; } = requestContext;

        public TaskCompletionSource<StoreOutcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>The Ingress is stopping and takes no more events: the sender is answered 503 and retries.</summary>
public sealed class IngressStoppingException() : Exception("The Ingress is stopping and stores no more events.");
