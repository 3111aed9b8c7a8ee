using MassTransit;
using MassTransit.Middleware.Outbox;
using Microsoft.Extensions.Options;

namespace Automation.Messaging.Postgres;

/// <summary>Wakes the delivery service as soon as an outbox commits. Unlike a cancel-the-current-wait notification, a
/// signal raised while the service is busy is kept, so a commit that lands between a pass's query and its wait is never
/// left for the fallback poll.</summary>
internal sealed class BusOutboxSignal(IOptions<OutboxDeliveryServiceOptions> options) : IBusOutboxNotification, IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    /// <summary>Returns when signalled, or after the fallback delay (<see cref="OutboxDeliveryServiceOptions.QueryDelay"/>)
    /// for whatever a crashed process committed without a signal.</summary>
    public Task WaitForDelivery(CancellationToken cancellationToken) => _signal.WaitAsync(options.Value.QueryDelay, cancellationToken);

    public void Delivered()
    {
        lock (_signal)
        {
            if (_signal.CurrentCount == 0)
            {
                _signal.Release();
            }
        }
    }

    public void Dispose() => _signal.Dispose();
}
