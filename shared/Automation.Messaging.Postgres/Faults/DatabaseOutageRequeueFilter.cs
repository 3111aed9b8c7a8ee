using MassTransit;

namespace Automation.Messaging.Postgres;

/// <summary>First filter of an endpoint's error pipe: a message that failed because PostgreSQL is unreachable is not moved
/// to the error queue (it did nothing wrong) but handed back to the broker unacknowledged, to be consumed once the database
/// returns. Every other failure goes on to the usual fault event and error queue.</summary>
internal sealed class DatabaseOutageRequeueFilter : IFilter<ExceptionReceiveContext>
{
    public Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next)
    {
        if (DatabaseOutage.IsOutage(context.Exception))
        {
            // Rethrowing from the error pipe makes the transport reject the delivery with requeue.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(context.Exception);
        }

        return next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("requeue-on-database-outage");
}
