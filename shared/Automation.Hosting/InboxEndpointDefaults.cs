namespace Automation.Hosting;

/// <summary>Receive settings for an endpoint whose consumers run behind the PostgreSQL inbox.</summary>
public static class InboxEndpointDefaults
{
    /// <summary>Messages fetched and processed at once. MassTransit's default (twice the cores: 4 on our 2-core machines)
    /// leaves the endpoint waiting on PostgreSQL round trips most of the time; 32 in flight, each holding one pooled
    /// connection for its transaction, gave 1.7 to 2.6 times the inbox throughput on the bench (docs/benchmarks.md), and
    /// 64 no more.</summary>
    public const int PrefetchCount = 32;
}
