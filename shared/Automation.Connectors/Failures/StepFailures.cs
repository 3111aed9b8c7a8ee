namespace Automation.Connectors;

/// <summary>A step's call failed in a way that may pass (a timeout, 408, 425, 429, a 5xx, an unreachable or overloaded
/// system): the message is retried, first at once, then by delayed redelivery, no sooner than
/// <see cref="RetryAfter"/> when the system said when.</summary>
public sealed class TransientStepException(string message, TimeSpan? retryAfter = null, Exception? innerException = null)
    : Exception(message, innerException)
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>A step's call failed in a way no retry cures (another 4xx, a malformed answer, an event lacking what the step
/// needs, a target missing from the configuration): the message faults at once, goes to the error queue, and the run
/// compensates. The message is the reason operators read: it names what failed and never carries a secret.</summary>
public sealed class PermanentStepException(string message, Exception? innerException = null) : Exception(message, innerException);
