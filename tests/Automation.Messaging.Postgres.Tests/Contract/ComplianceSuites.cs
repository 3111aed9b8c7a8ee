using Automation.Testing;

namespace Automation.Messaging.Postgres.Tests.Contract;

/// <summary>The contract with Npgsql's default (non-retrying) execution strategy.</summary>
public sealed class DefaultExecutionStrategyCompliance(PostgresDatabase database, RabbitMqVirtualHost vhost)
    : InboxOutboxContract(database, vhost), IClassFixture<PostgresDatabase>, IClassFixture<RabbitMqVirtualHost>
{
    protected override bool RetryOnFailure => false;
}

/// <summary>The contract with <c>EnableRetryOnFailure</c>: the inbox and the delivery service must run their transactions
/// inside the execution strategy.</summary>
public sealed class RetryingExecutionStrategyCompliance(PostgresDatabase database, RabbitMqVirtualHost vhost)
    : InboxOutboxContract(database, vhost), IClassFixture<PostgresDatabase>, IClassFixture<RabbitMqVirtualHost>
{
    protected override bool RetryOnFailure => true;
}

/// <summary>The contract where the consumer's host has no bus outbox: the inbox sends the consumer's messages itself, in a
/// second pass of the same receive, before the broker message is acknowledged.</summary>
public sealed class InlineConsumerDeliveryCompliance(PostgresDatabase database, RabbitMqVirtualHost vhost)
    : InboxOutboxContract(database, vhost), IClassFixture<PostgresDatabase>, IClassFixture<RabbitMqVirtualHost>
{
    protected override bool RetryOnFailure => false;

    protected override Action<PostgresOutboxConfigurator>? ConsumerHostOutbox => outbox => outbox.QueryDelay = TimeSpan.FromSeconds(1);
}

/// <summary>The contract with the DbContext registered as every service registers it: pooled (<c>AddDbContextPool</c>), with
/// the services' connection settings (prepared statements, no reset on close, the library's session defaults).</summary>
public sealed class AsTheServicesCompliance(PostgresDatabase database, RabbitMqVirtualHost vhost)
    : InboxOutboxContract(database, vhost), IClassFixture<PostgresDatabase>, IClassFixture<RabbitMqVirtualHost>
{
    protected override bool RetryOnFailure => false;

    protected override bool AsTheServices => true;
}
