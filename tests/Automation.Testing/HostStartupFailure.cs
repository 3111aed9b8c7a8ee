using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Automation.Testing;

/// <summary>Why a service's host failed to start, as the host itself reported it. A <c>WebApplicationFactory</c> can lose
/// that exception: the service's entry point runs on a thread of its own and disposes its host when starting it fails,
/// and the factory, still waiting for the start on the test's thread, may then find the host's services disposed and
/// throw an <see cref="ObjectDisposedException"/> instead. The host logs the failure before it disposes anything.</summary>
public sealed class HostStartupFailure : ILoggerProvider
{
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    /// <summary>The host's "Hosting failed to start" entry (not, say, a background service's fault).</summary>
    private const int HostedServiceStartupFaulted = 11;
    private Exception? _reported;

    /// <summary>Starts the service with <paramref name="start"/> and returns why it did not start (the host's own report when
    /// it made one), or fails the test when it started.</summary>
    public Exception Of(Action start)
    {
        try
        {
            start();
        }
        catch (Exception exception)
        {
            return Volatile.Read(ref _reported) ?? exception;
        }

        throw new InvalidOperationException("The service started: a failure to start was expected.");
    }

    public ILogger CreateLogger(string categoryName) => categoryName == HostCategory ? new Reporter(this) : NullLogger.Instance;

    public void Dispose()
    {
    }

    private sealed class Reporter(HostStartupFailure owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == HostedServiceStartupFaulted && exception is not null)
            {
                Interlocked.CompareExchange(ref owner._reported, exception, null);
            }
        }
    }
}
