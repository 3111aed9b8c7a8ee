using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Automation.Connectors;

public static class ConnectorHttpClientExtensions
{
    /// <summary>A typed client for one external system, with the resilience every connector call gets
    /// (<see cref="ConnectorHttpOptions"/>): a concurrency limit, then a circuit breaker around a per-call timeout. Failures
    /// surface through <see cref="ExternalCall.SendAsync"/> as transient or permanent step failures.</summary>
    public static IHttpClientBuilder AddConnectorHttpClient<TClient>(this IServiceCollection services,
        Action<IServiceProvider, HttpClient> configure)
        where TClient : class
    {
        var client = services.AddHttpClient<TClient>(configure);
        client.AddResilienceHandler("connector", (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<ConnectorHttpOptions>>().Value;
            pipeline
                .AddConcurrencyLimiter(options.ConcurrencyLimit, queueLimit: ConnectorHttpOptions.CallsWaitingAtMost)
                .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                {
                    FailureRatio = options.FailureRatio,
                    MinimumThroughput = options.MinimumThroughput,
                    SamplingDuration = options.SamplingDuration,
                    BreakDuration = options.BreakDuration,
                })
                .AddTimeout(options.Timeout);
        });
        return client;
    }
}
