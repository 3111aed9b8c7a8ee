using Automation.Hosting;
using MassTransit;

namespace Automation.Orchestrator.Runs;

/// <summary>Admission of new runs. The runs' endpoint (<c>orchestrator-runs</c>) counts the messages it is consuming; the
/// event consumers, before their transaction starts, wait while half its messages in flight or more are taken. Under load
/// the service then moves the open runs on before it opens more, and the backlog waits in the events' queues, where
/// nothing has started yet and no step timeout runs. Without it a cold or overloaded service opened runs faster than it
/// took their results in (1,800 runs open and as many results queued in a bench's warm-up; a threshold of seven eighths
/// let 1,700 queue all the same: docs/benchmarks.md). An event waits at most <see cref="LongestWait"/>, so a count gone
/// wrong slows intake but never stops it. The count is this process's: replicas each admit against their own runs'
/// endpoint.</summary>
public sealed class RunsEndpointRoom : IReceiveObserver
{
    public static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(1);

    /// <summary>Results in flight on the runs' endpoint at or above which new runs wait.</summary>
    public const int Busy = InboxEndpointDefaults.PrefetchCount / 2;

    private static readonly string RunsQueuePath = "/" + RunStateDefinition.Queue;

    private int _inFlight;
    private TaskCompletionSource _roomMade = NewSignal();

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Returns once the runs' endpoint has room, or after <see cref="LongestWait"/>.</summary>
    public async Task WaitForRoomAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        // Every event asks: without a wait, no timer.
        if (InFlight < Busy)
        {
            return;
        }

        using var waited = new CancellationTokenSource(LongestWait, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(waited.Token, cancellationToken);
        try
        {
            while (true)
            {
                var roomMade = Volatile.Read(ref _roomMade);
                if (InFlight < Busy)
                {
                    return;
                }

                await roomMade.Task.WaitAsync(either.Token);
            }
        }
        catch (OperationCanceledException) when (waited.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Waited long enough: open the runs anyway.
        }
    }

    public Task PreReceive(ReceiveContext context)
    {
        if (IsRunsEndpoint(context))
        {
            context.GetOrAddPayload(() => new Counted());
            Entered();
        }

        return Task.CompletedTask;
    }

    public Task PostReceive(ReceiveContext context)
    {
        Release(context);
        return Task.CompletedTask;
    }

    public Task ReceiveFault(ReceiveContext context, Exception exception)
    {
        Release(context);
        return Task.CompletedTask;
    }

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType)
        where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception)
        where T : class => Task.CompletedTask;

    /// <summary>A message of the runs' endpoint started.</summary>
    public void Entered() => Interlocked.Increment(ref _inFlight);

    /// <summary>A message of the runs' endpoint ended, consumed or not.</summary>
    public void Left()
    {
        if (Interlocked.Decrement(ref _inFlight) < Busy)
        {
            Interlocked.Exchange(ref _roomMade, NewSignal()).TrySetResult();
        }
    }

    private void Release(ReceiveContext context)
    {
        if (context.TryGetPayload<Counted>(out var counted) && counted.Release())
        {
            Left();
        }
    }

    private static bool IsRunsEndpoint(ReceiveContext context) =>
        context.InputAddress.AbsolutePath.EndsWith(RunsQueuePath, StringComparison.Ordinal);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Marks a receive as counted, so that it is released once whichever of MassTransit's calls comes.</summary>
    private sealed class Counted
    {
        private int _released;

        public bool Release() => Interlocked.Exchange(ref _released, 1) == 0;
    }
}
