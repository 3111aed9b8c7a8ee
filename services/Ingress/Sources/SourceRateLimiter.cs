namespace Automation.Ingress.Sources;

/// <summary>A token bucket per source: <c>RequestsPerSecond</c> sustained, <c>Burst</c> at once. It runs on the
/// injected clock and holds no timer, so a configuration reload can simply drop it.</summary>
public sealed class SourceRateLimiter(double permitsPerSecond, int burst, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private double _tokens = burst;
    private long _refilledAt = clock.GetTimestamp();

    public double PermitsPerSecond => permitsPerSecond;

    public int Burst => burst;

    /// <summary>Takes one permit, or says how long until one is free.</summary>
    public bool TryAcquire(out TimeSpan retryAfter)
    {
        lock (_gate)
        {
            var now = clock.GetTimestamp();
            _tokens = Math.Min(burst, _tokens + (clock.GetElapsedTime(_refilledAt, now).TotalSeconds * permitsPerSecond));
            _refilledAt = now;
            if (_tokens >= 1)
            {
                _tokens -= 1;
                retryAfter = TimeSpan.Zero;
                return true;
            }

            retryAfter = TimeSpan.FromSeconds((1 - _tokens) / permitsPerSecond);
            return false;
        }
    }
}
