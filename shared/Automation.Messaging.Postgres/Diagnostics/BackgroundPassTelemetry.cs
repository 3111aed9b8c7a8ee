using System.Diagnostics;
using OpenTelemetry;

namespace Automation.Messaging.Postgres;

/// <summary>Telemetry of the background passes (outbox delivery, scheduler, inbox cleanup, backlog measurement): a pass
/// looks for work with every instrumentation suppressed, so a pass that finds nothing records no span at all (neither ours
/// nor Npgsql's nor MassTransit's); a pass that found work leaves the quiet look-up and is a short trace of its own, linked
/// to the traces of the messages it moves. Idle services polled into over 1,300 one-span traces a minute before.</summary>
public static class BackgroundPassTelemetry
{
    /// <summary>Until disposed (disposing twice is harmless), nothing on this asynchronous flow records a span.</summary>
    public static IDisposable Quiet() => SuppressInstrumentationScope.Begin();

    /// <summary>The span of a pass that found work: the root of its own trace, never a child of whatever ran before.</summary>
    public static Activity? StartWork(string name)
    {
        Activity.Current = null;
        return MessagingPostgresInstrumentation.ActivitySource.StartActivity(name, ActivityKind.Internal, parentContext: default);
    }

    /// <summary>Links the pass to the span that carried one of its messages in that message's own trace.</summary>
    public static void LinkTo(this Activity? pass, IEnumerable<ActivityContext> moved)
    {
        if (pass is null)
        {
            return;
        }

        foreach (var context in moved.Where(context => context != default))
        {
            pass.AddLink(new ActivityLink(context));
        }
    }
}
