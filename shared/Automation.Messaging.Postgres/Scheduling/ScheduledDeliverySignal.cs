namespace Automation.Messaging.Postgres;

/// <summary>Wakes this process's delivery loop when its scheduler stored a message, so a message due sooner than the
/// loop's planned wake-up is not left to the fallback poll. Other instances find it by their own poll or next due time.</summary>
internal sealed class ScheduledDeliverySignal
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _stored = NewSource();

    public void Notify()
    {
        lock (_gate)
        {
            _stored.TrySetResult();
        }
    }

    /// <summary>Forgets earlier notifications. Called before the loop reads the table, so a notification that arrives
    /// while it reads still wakes the wait that follows.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            if (_stored.Task.IsCompleted)
            {
                _stored = NewSource();
            }
        }
    }

    /// <summary>Waits until <paramref name="until"/> or a notification, whichever comes first.</summary>
    public async Task WaitUntil(DateTime until, TimeProvider time, CancellationToken cancellationToken)
    {
        Task stored;
        lock (_gate)
        {
            stored = _stored.Task;
        }

        var delay = until - time.GetUtcNow().UtcDateTime;
        if (delay <= TimeSpan.Zero || stored.IsCompleted)
        {
            return;
        }

        using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var elapsed = Task.Delay(delay, time, wake.Token);
        await Task.WhenAny(stored, elapsed);
        await wake.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
