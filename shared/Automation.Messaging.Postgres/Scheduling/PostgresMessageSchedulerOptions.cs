using Microsoft.Extensions.Options;

namespace Automation.Messaging.Postgres;

/// <summary>Tuning of the durable scheduler; set through <c>AddPostgresMessageScheduler&lt;TDbContext&gt;(queue, o =&gt; …)</c>.</summary>
public sealed class PostgresMessageSchedulerOptions
{
    /// <summary>The service's scheduler queue, e.g. <c>orchestrator-scheduler</c> (set by the registration).</summary>
    public string QueueName { get; set; } = "";

    /// <summary>Due messages sent per transaction.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>The longest the delivery loop sleeps: it finds messages another instance stored (or a crash left) by then.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The pause after a failed pass (database or broker unreachable) before the loop tries again.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one send may wait for the broker. A pass holds its messages' rows locked while it sends: when the
    /// broker is away, the pass gives up after this long, releases them (another replica may reach the broker) and backs
    /// off for <see cref="RetryDelay"/>.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a delivered or cancelled message is kept after its due time, to recognise a late duplicate of
    /// its command.</summary>
    public TimeSpan FinishedRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How often finished messages past their retention are deleted, and at most how many per statement.</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(5);

    public int CleanupBatchSize { get; set; } = 1000;

    internal IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(QueueName))
        {
            yield return $"{nameof(QueueName)} is required";
        }

        if (BatchSize <= 0 || CleanupBatchSize <= 0)
        {
            yield return $"{nameof(BatchSize)} and {nameof(CleanupBatchSize)} must be positive";
        }

        if (PollInterval <= TimeSpan.Zero || RetryDelay <= TimeSpan.Zero || SendTimeout <= TimeSpan.Zero || CleanupInterval <= TimeSpan.Zero
            || FinishedRetention <= TimeSpan.Zero)
        {
            yield return $"{nameof(PollInterval)}, {nameof(RetryDelay)}, {nameof(SendTimeout)}, {nameof(CleanupInterval)} and {nameof(FinishedRetention)} must be positive";
        }
    }
}

/// <summary>Says at start which scheduler setting is wrong, instead of a loop that spins or never runs.</summary>
internal sealed class PostgresMessageSchedulerOptionsValidator : IValidateOptions<PostgresMessageSchedulerOptions>
{
    public ValidateOptionsResult Validate(string? name, PostgresMessageSchedulerOptions options)
    {
        var problems = options.Problems().ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
