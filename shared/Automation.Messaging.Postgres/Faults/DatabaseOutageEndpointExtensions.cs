using MassTransit;
using MassTransit.Middleware;
using MassTransit.Transports.Components;

namespace Automation.Messaging.Postgres;

public static class DatabaseOutageEndpointExtensions
{
    /// <summary>While PostgreSQL is unreachable, the endpoint's messages go back to the queue unacknowledged instead of to the
    /// error queue, without spending the message retries configured before this call, and a kill switch that counts only
    /// database outages stops the endpoint for <see cref="KillSwitchOptions.RestartTimeout"/> (then tries again) instead of
    /// spinning through redeliveries. Messages that fail for any other reason (a timeout on a server that answers
    /// included) are retried and reach the error queue as before. Call it after <c>UseMessageRetry</c>.</summary>
    public static void PauseWhileDatabaseUnavailable(this IReceiveEndpointConfigurator endpoint, Action<KillSwitchOptions>? configure = null)
    {
        _ = new DatabaseOutageRetryStop(endpoint);
        endpoint.UseKillSwitch(options =>
        {
            options.SetActivationThreshold(DefaultActivationThreshold)
                .SetTripThreshold(DefaultTripThresholdPercent)
                .SetTrackingPeriod(TimeSpan.FromMinutes(1))
                .SetRestartTimeout(TimeSpan.FromSeconds(10))
                .SetExceptionFilter(filter => filter.Handle<Exception>(DatabaseOutage.IsOutage));
            configure?.Invoke(options);
        });
        endpoint.ConfigureError(error =>
        {
            error.UseFilter(new DatabaseOutageRequeueFilter());
            error.UseFilter(new GenerateFaultFilter());
            error.UseFilter(new ErrorTransportFilter());
        });
    }

    /// <summary>Messages attempted in the tracking period before the kill switch may trip.</summary>
    public const int DefaultActivationThreshold = 5;

    /// <summary>Percentage of attempts failing with a database outage that trips the kill switch.</summary>
    public const int DefaultTripThresholdPercent = 10;
}
