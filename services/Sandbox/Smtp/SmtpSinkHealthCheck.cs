using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Automation.Sandbox.Smtp;

/// <summary>Ready once the SMTP sink listens; unhealthy, with the reason, when it could not.</summary>
public sealed class SmtpSinkHealthCheck(SmtpSink sink) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(sink.Listening switch
        {
            { IsCompletedSuccessfully: true } listening => HealthCheckResult.Healthy($"SMTP sink listening on {listening.Result}"),
            { IsFaulted: true } failed => HealthCheckResult.Unhealthy($"SMTP sink cannot listen: {failed.Exception!.InnerException!.Message}"),
            _ => HealthCheckResult.Unhealthy("SMTP sink starting"),
        });
}
