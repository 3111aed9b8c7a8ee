using Automation.Ingress.Sources;
using Microsoft.Extensions.Time.Testing;

namespace Automation.Ingress.Tests.Sources;

public sealed class SourceRateLimiterTests
{
    [Fact]
    public void A_burst_is_let_through_then_requests_wait_for_the_sustained_rate()
    {
        var clock = new FakeTimeProvider();
        var limiter = new SourceRateLimiter(permitsPerSecond: 2, burst: 3, clock);

        Assert.All(Enumerable.Range(0, 3), _ => Assert.True(limiter.TryAcquire(out TimeSpan _)));
        Assert.False(limiter.TryAcquire(out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(0.5), retryAfter);

        clock.Advance(TimeSpan.FromSeconds(0.5));
        Assert.True(limiter.TryAcquire(out _));
        Assert.False(limiter.TryAcquire(out _));
    }

    [Fact]
    public void An_idle_source_saves_up_no_more_than_its_burst()
    {
        var clock = new FakeTimeProvider();
        var limiter = new SourceRateLimiter(permitsPerSecond: 10, burst: 2, clock);

        clock.Advance(TimeSpan.FromHours(1));

        Assert.True(limiter.TryAcquire(out _));
        Assert.True(limiter.TryAcquire(out _));
        Assert.False(limiter.TryAcquire(out _));
    }

    [Fact]
    public void A_permit_given_back_can_be_taken_again_but_never_beyond_the_burst()
    {
        var limiter = new SourceRateLimiter(permitsPerSecond: 0.001, burst: 1, new FakeTimeProvider());

        Assert.True(limiter.TryAcquire(out _));
        limiter.Return();
        limiter.Return();

        Assert.True(limiter.TryAcquire(out _));
        Assert.False(limiter.TryAcquire(out _));
    }
}
