using MassTransit;

namespace Automation.Messaging.Postgres.CrashHost;

/// <summary>Where a crash host stops, says so on standard output and waits to be killed.</summary>
public enum CrashPoint
{
    /// <summary>Never: the instance that finishes the work.</summary>
    None,

    /// <summary>The bus outbox committed, the delivery pass is about to hand its first message to the broker.</summary>
    BeforeSend,

    /// <summary>The broker confirmed some of the committed messages; the delivery pass has not deleted them yet.</summary>
    AfterSend,

    /// <summary>The inbox committed the consumer's work for the first message; the broker message is not acknowledged yet.</summary>
    AfterConsume,
}

/// <summary>Observes sends and consumes, and freezes the process at its crash point.</summary>
internal sealed class CrashPointObserver(CrashPoint crashPoint, int sendsBeforeCrash) : ISendObserver, IConsumeObserver
{
    private int _sends;

    public Task PreSend<T>(SendContext<T> context)
        where T : class => crashPoint == CrashPoint.BeforeSend ? Freeze() : Task.CompletedTask;

    public Task PostSend<T>(SendContext<T> context)
        where T : class =>
        crashPoint == CrashPoint.AfterSend && Interlocked.Increment(ref _sends) == sendsBeforeCrash ? Freeze() : Task.CompletedTask;

    public Task SendFault<T>(SendContext<T> context, Exception exception)
        where T : class => Task.CompletedTask;

    public Task PreConsume<T>(ConsumeContext<T> context)
        where T : class => Task.CompletedTask;

    // Consume observers run around the whole consumer pipeline, the inbox's commit included, and before the acknowledgement.
    public Task PostConsume<T>(ConsumeContext<T> context)
        where T : class => crashPoint == CrashPoint.AfterConsume ? Freeze() : Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception)
        where T : class => Task.CompletedTask;

    private static Task Freeze()
    {
        Console.Out.WriteLine(CrashHostProgram.CrashPointReached);
        Console.Out.Flush();
        return Task.Delay(Timeout.Infinite);
    }
}
