namespace Automation.Messaging.Postgres;

/// <summary>How one saga type is stored; set through <c>.PostgresRepository&lt;TDbContext&gt;(r =&gt; …)</c>.</summary>
public sealed class PostgresSagaRepositoryOptions
{
    public SagaConcurrencyMode ConcurrencyMode { get; set; } = SagaConcurrencyMode.Pessimistic;
}

/// <summary>The options of one saga type, registered as a singleton keyed by the saga type.</summary>
internal sealed record PostgresSagaRepositorySettings<TSaga>(SagaConcurrencyMode ConcurrencyMode);
