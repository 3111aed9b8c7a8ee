using MassTransit;

namespace Automation.Connectors;

/// <summary>Wraps a retry policy so that a retry waits at least as long as the external system asked
/// (<see cref="TransientStepException.RetryAfter"/>, from a <c>Retry-After</c> header), capped at <paramref name="longest"/>.
/// MassTransit's delayed redelivery schedules the message after the retry context's <see cref="RetryContext.Delay"/>.</summary>
internal sealed class RetryAfterRetryPolicy(IRetryPolicy inner, TimeSpan longest) : IRetryPolicy
{
    public RetryPolicyContext<T> CreatePolicyContext<T>(T context)
        where T : class, PipeContext =>
        new PolicyContext<T>(inner.CreatePolicyContext(context), longest);

    public bool IsHandled(Exception exception) => inner.IsHandled(exception);

    public void Probe(ProbeContext context)
    {
        context.Add("retryAfter", "honoured");
        inner.Probe(context);
    }

    private static RetryContext<T> Honour<T>(RetryContext<T> context, Exception exception, TimeSpan longest)
        where T : class =>
        exception is TransientStepException { RetryAfter: { } asked } && asked > (context.Delay ?? TimeSpan.Zero)
            ? new AskedDelay<T>(context, asked < longest ? asked : longest, longest)
            : context;

    private sealed class PolicyContext<T>(RetryPolicyContext<T> inner, TimeSpan longest) : RetryPolicyContext<T>
        where T : class
    {
        public T Context => inner.Context;

        public bool CanRetry(Exception exception, out RetryContext<T> retryContext)
        {
            var canRetry = inner.CanRetry(exception, out var next);
            retryContext = Honour(next, exception, longest);
            return canRetry;
        }

        public Task RetryFaulted(Exception exception) => inner.RetryFaulted(exception);

        public void Cancel() => inner.Cancel();

        public void Dispose() => inner.Dispose();
    }

    private sealed class AskedDelay<T>(RetryContext<T> inner, TimeSpan delay, TimeSpan longest) : RetryContext<T>
        where T : class
    {
        public T Context => inner.Context;

        public CancellationToken CancellationToken => inner.CancellationToken;

        public Exception Exception => inner.Exception;

        public int RetryAttempt => inner.RetryAttempt;

        public int RetryCount => inner.RetryCount;

        public TimeSpan? Delay => delay;

        public Type ContextType => inner.ContextType;

        public bool CanRetry(Exception exception, out RetryContext<T> retryContext)
        {
            var canRetry = inner.CanRetry(exception, out var next);
            retryContext = Honour(next, exception, longest);
            return canRetry;
        }

        public Task RetryFaulted(Exception exception) => inner.RetryFaulted(exception);

        public Task PreRetry() => inner.PreRetry();
    }
}
