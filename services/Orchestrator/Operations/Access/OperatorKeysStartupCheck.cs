namespace Automation.Orchestrator.Operations.Access;

/// <summary>Says at start when no operator key is configured: the service runs (its runs need no operator), and the
/// operator API answers 401 to everyone until a key is set.</summary>
public sealed partial class OperatorKeysStartupCheck(OperatorKeys keys, ILogger<OperatorKeysStartupCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (keys.IsEmpty)
        {
            LogNoKeys();
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "No operator key is configured (Operations:ApiKeys:<operator>): the operator API answers 401 to every request")]
    private partial void LogNoKeys();
}
