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
