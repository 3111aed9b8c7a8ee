using System.Security.Cryptography;
using System.Text;
using Automation.Messaging.Postgres;
using Automation.Testing;
using MassTransit;

namespace Automation.Messaging.Postgres.Tests.Sagas;

/// <summary>xmin checks: retries alone do not hold under this contention (measured: most of 100 messages on one instance
/// exhaust 20 immediate retries), so the endpoint partitions by correlation id (one message per instance at a time in this
/// process) and retries the conflicts that remain between processes or with first inserts.</summary>
public sealed class OptimisticSagaRepositoryTests(PostgresDatabase database, RabbitMqVirtualHost virtualHost)
    : SagaRepositoryContract(database, virtualHost), IClassFixture<PostgresDatabase>, IClassFixture<RabbitMqVirtualHost>
{
    protected override SagaConcurrencyMode Mode => SagaConcurrencyMode.Optimistic;

    protected override void ConfigureSagaEndpoint(IRegistrationContext context, IReceiveEndpointConfigurator endpoint)
    {
        endpoint.UseMessageRetry(retry =>
        {
            retry.Handle<ConcurrencyException>();
            retry.Intervals(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100),
                TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(500));
        });
        var partitioner = endpoint.CreatePartitioner(ConcurrentMessages);
        endpoint.UsePartitioner<IncrementCounter>(partitioner, context => context.Message.CounterId);
        endpoint.UsePartitioner<IncrementNamedCounter>(partitioner, context => KeyOf(context.Message.Name));
    }

    private static Guid KeyOf(string name) => new(SHA256.HashData(Encoding.UTF8.GetBytes(name)).AsSpan(0, 16));
}
