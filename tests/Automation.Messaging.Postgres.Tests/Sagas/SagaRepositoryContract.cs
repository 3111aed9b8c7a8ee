using Automation.Messaging.Postgres;
using Automation.Messaging.Postgres.Tests.Hosting;
using Automation.Testing;
using MassTransit;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Messaging.Postgres.Tests.Sagas;

/// <summary>What the PostgreSQL saga repository promises under concurrent messages, whatever its concurrency mode:
/// every message is applied exactly once to its instance, and concurrent first messages make one instance.</summary>
public abstract class SagaRepositoryContract(PostgresDatabase database, RabbitMqVirtualHost virtualHost)
{
    /// <summary>Enough messages in flight at once on the saga endpoint to make them collide.</summary>
    protected const int ConcurrentMessages = 32;

    protected abstract SagaConcurrencyMode Mode { get; }

    private const string SagaQueue = "counter-saga";

    /// <summary>What this variant needs on the saga's endpoint: retries, partitioning, the inbox.</summary>
    protected abstract void ConfigureSagaEndpoint(IRegistrationContext context, IReceiveEndpointConfigurator endpoint);

    /// <summary>What this variant adds to the service (e.g. the inbox/outbox registration).</summary>
    protected virtual void ConfigureBus(IBusRegistrationConfigurator bus)
    {
    }

    /// <summary>Whether the DbContext uses Npgsql's retrying execution strategy (<c>EnableRetryOnFailure</c>).</summary>
    protected virtual bool RetryOnFailure => false;

    [Fact]
    public async Task One_hundred_concurrent_messages_on_one_instance_are_all_applied()
    {
        await using var service = await StartAsync();
        var counterId = Guid.NewGuid();
        await service.Bus.Publish(new IncrementCounter(counterId), TestContext.Current.CancellationToken);
        await Eventually.Until(async () => await CountOf(service, counterId) == 1, "the first message created the counter");

        await Task.WhenAll(Enumerable.Range(0, 100)
            .Select(_ => service.Bus.Publish(new IncrementCounter(counterId), TestContext.Current.CancellationToken)));

        await Eventually.Until(async () => await CountOf(service, counterId) >= 101, "all 100 messages were applied",
            TimeSpan.FromSeconds(90));
        Assert.Equal(101, await CountOf(service, counterId));
        Assert.Empty(service.Services.GetRequiredService<Faults>().All);
    }

    [Fact]
    public async Task Concurrent_first_messages_create_one_instance_and_lose_none()
    {
        await using var service = await StartAsync();
        var counterIds = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToList();

        await Task.WhenAll(counterIds.SelectMany(counterId => Enumerable.Range(0, 20)
            .Select(_ => service.Bus.Publish(new IncrementCounter(counterId), TestContext.Current.CancellationToken))));

        foreach (var counterId in counterIds)
        {
            await Eventually.Until(async () => await CountOf(service, counterId) >= 20, "all 20 first messages were applied",
                TimeSpan.FromSeconds(90));
            Assert.Equal(20, await CountOf(service, counterId));
        }

        var instances = await service.WithDbContext(db => db.Counters.CountAsync(counter => counterIds.Contains(counter.CorrelationId)));
        Assert.Equal(counterIds.Count, instances);
        Assert.Empty(service.Services.GetRequiredService<Faults>().All);
    }

    [Fact]
    public async Task Messages_correlated_by_a_query_are_all_applied_to_the_instance_they_find()
    {
        await using var service = await StartAsync();
        var counterId = Guid.NewGuid();
        var name = $"counter-{counterId:N}";
        await service.Bus.Publish(new NameCounter(counterId, name), TestContext.Current.CancellationToken);
        var loader = service.Services.GetRequiredService<ILoadSagaRepository<CounterState>>();
        await Eventually.Until(async () => (await loader.Load(counterId))?.Name == name, "the counter was named");

        await Task.WhenAll(Enumerable.Range(0, 20)
            .Select(_ => service.Bus.Publish(new IncrementNamedCounter(name), TestContext.Current.CancellationToken)));

        await Eventually.Until(async () => await CountOf(service, counterId) >= 20, "all 20 messages were applied", TimeSpan.FromSeconds(90));
        Assert.Equal(20, await CountOf(service, counterId));
        var found = await service.Services.GetRequiredService<IQuerySagaRepository<CounterState>>()
            .Find(new SagaQuery<CounterState>(counter => counter.Name == name));
        Assert.Equal([counterId], found);
        Assert.Empty(service.Services.GetRequiredService<Faults>().All);
    }

    private Task<TestService> StartAsync() =>
        TestService.StartAsync(database, virtualHost,
            bus =>
            {
                bus.AddSagaStateMachine<CounterStateMachine, CounterState>()
                    .Endpoint(endpoint => endpoint.Name = SagaQueue)
                    .PostgresRepository<TestServiceDbContext>(repository => repository.ConcurrencyMode = Mode);
                ConfigureBus(bus);
                bus.AddConfigureEndpointsCallback((context, queue, endpoint) =>
                {
                    if (queue != SagaQueue)
                    {
                        return;
                    }

                    endpoint.ConcurrentMessageLimit = ConcurrentMessages;
                    if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                    {
                        rabbit.PrefetchCount = ConcurrentMessages * 2;
                    }

                    ConfigureSagaEndpoint(context, endpoint);
                });
                bus.AddConsumer<FaultRecorder<IncrementCounter>>();
            },
            services => services.AddSingleton<Faults>(),
            RetryOnFailure);

    private static Task<int> CountOf(TestService service, Guid counterId) =>
        service.WithDbContext(async db =>
            (await db.Counters.AsNoTracking().SingleOrDefaultAsync(counter => counter.CorrelationId == counterId))?.Count ?? 0);
}
