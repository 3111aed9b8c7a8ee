using Automation.Messaging.Postgres.Tests.Hosting;
using Automation.Testing;
using MassTransit;

namespace Automation.Messaging.Postgres.Tests.Sagas;

/// <summary>The saga behind the consumer inbox: the repository joins the inbox's transaction, and its locks are held until
/// the inbox commits.</summary>
public class PessimisticSagaRepositoryBehindInboxTests(PostgresDatabase database, RabbitMqVirtualHost virtualHost)
    : SagaRepositoryContract(database, virtualHost), IClassFixture<PostgresDatabase>, IClassFixture<RabbitMqVirtualHost>
{
    protected override SagaConcurrencyMode Mode => SagaConcurrencyMode.Pessimistic;

    protected override void ConfigureBus(IBusRegistrationConfigurator bus) => bus.AddPostgresOutbox<TestServiceDbContext>();

    protected override void ConfigureSagaEndpoint(IRegistrationContext context, IReceiveEndpointConfigurator endpoint)
    {
        endpoint.UseMessageRetry(retry =>
        {
            retry.Handle<Exception>(DatabaseOutage.IsSerializationFailure);
            retry.Immediate(3);
        });
        endpoint.UsePostgresInboxOutbox<TestServiceDbContext>(context);
    }
}

/// <summary>The same behind the inbox, with Npgsql's retrying execution strategy on the DbContext.</summary>
public sealed class PessimisticSagaRepositoryBehindInboxWithRetryingStrategyTests(PostgresDatabase database, RabbitMqVirtualHost virtualHost)
    : PessimisticSagaRepositoryBehindInboxTests(database, virtualHost)
{
    protected override bool RetryOnFailure => true;
}
