namespace Automation.Ingress.Sources;

/// <summary>A token bucket: <c>permitsPerSecond</c> sustained, <c>burst</c> at once. It runs on the injected clock and
/// holds no timer, so a configuration reload can simply drop it.</summary>
public sealed class SourceRateLimiter(double permitsPerSecond, int burst, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private double _tokens = burst;
    private long _refilledAt = clock.GetTimestamp();

    public double PermitsPerSecond => permitsPerSecond;

    public int Burst => burst;

    /// <summary>The bucket for this rate, <paramref name="previous"/> itself when its rate and burst are the same (a reload
    /// that leaves a source's rate alone keeps its bucket, so reloading is no way around the limit). The burst defaults
    /// to one second's worth.</summary>
    public static SourceRateLimiter For(double permitsPerSecond, int? burst, TimeProvider clock, SourceRateLimiter? previous)
    {
        var size = burst ?? Math.Max(1, (int)Math.Ceiling(Math.Min(permitsPerSecond, int.MaxValue)));
        return previous is not null && previous.PermitsPerSecond.Equals(permitsPerSecond) && previous.Burst == size
            ? previous
            : new SourceRateLimiter(permitsPerSecond, size, clock);
    }

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

    /// <summary>Gives back a permit taken for a request that turned out not to spend it (a duplicate, or an event that
    /// could not be stored).</summary>
    public void Return()
    {
        lock (_gate)
        {
            _tokens = Math.Min(burst, _tokens + 1);
        }
    }
}
