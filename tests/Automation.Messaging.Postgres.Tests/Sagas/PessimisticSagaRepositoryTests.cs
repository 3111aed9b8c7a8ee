using Automation.Messaging.Postgres;
using Automation.Testing;
using MassTransit;

namespace Automation.Messaging.Postgres.Tests.Sagas;

/// <summary>Row and advisory locks: concurrent messages wait for each other, so the endpoint needs no retry at all.</summary>
public sealed class PessimisticSagaRepositoryTests(PostgresDatabase database, RabbitMqVirtualHost virtualHost)
    : SagaRepositoryContract(database, virtualHost), IClassFixture<PostgresDatabase>, IClassFixture<RabbitMqVirtualHost>
{
    protected override SagaConcurrencyMode Mode => SagaConcurrencyMode.Pessimistic;

    protected override void ConfigureSagaEndpoint(IRegistrationContext context, IReceiveEndpointConfigurator endpoint)
    {
    }
}

/// <summary>The same, with Npgsql's retrying execution strategy on the DbContext: the repository's own transaction runs
/// inside the strategy.</summary>
public sealed class PessimisticSagaRepositoryWithRetryingStrategyTests(PostgresDatabase database, RabbitMqVirtualHost virtualHost)
    : SagaRepositoryContract(database, virtualHost), IClassFixture<PostgresDatabase>, IClassFixture<RabbitMqVirtualHost>
{
    protected override SagaConcurrencyMode Mode => SagaConcurrencyMode.Pessimistic;

    protected override bool RetryOnFailure => true;

    protected override void ConfigureSagaEndpoint(IRegistrationContext context, IReceiveEndpointConfigurator endpoint)
    {
    }
}
