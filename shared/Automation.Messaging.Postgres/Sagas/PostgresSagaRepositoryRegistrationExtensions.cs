using System.Reflection;
using MassTransit;
using MassTransit.Configuration;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Messaging.Postgres;

public static class PostgresSagaRepositoryRegistrationExtensions
{
    private static readonly MethodInfo TypedRegistration = typeof(PostgresSagaRepositoryRegistrationExtensions)
        .GetMethods(BindingFlags.Public | BindingFlags.Static)
        .Single(method => method.Name == nameof(PostgresRepository) && method.GetGenericArguments().Length == 2);

    /// <summary>Stores this saga in <typeparamref name="TDbContext"/> (registered by the application as a scoped
    /// DbContext on PostgreSQL, whose model maps the saga, e.g. with a <see cref="PostgresSagaMap{TSaga}"/>).
    /// Behind the consumer inbox the saga shares the inbox's transaction; otherwise it runs its own.</summary>
    /// <example><code>
    /// bus.AddSagaStateMachine&lt;RunStateMachine, RunState&gt;().PostgresRepository&lt;OrchestratorDbContext&gt;();
    /// </code></example>
    public static ISagaRegistrationConfigurator PostgresRepository<TDbContext>(this ISagaRegistrationConfigurator configurator,
        Action<PostgresSagaRepositoryOptions>? configure = null)
        where TDbContext : DbContext
    {
        // C# cannot infer the saga type while the DbContext type is written out, so it is read from the configurator.
        var sagaType = configurator.GetType().GetInterfaces()
            .Where(type => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ISagaRegistrationConfigurator<>))
            .Select(type => type.GetGenericArguments()[0])
            .SingleOrDefault()
            ?? throw new ArgumentException("The configurator does not register a single saga type.", nameof(configurator));
        TypedRegistration.MakeGenericMethod(typeof(TDbContext), sagaType).Invoke(null, [configurator, configure]);
        return configurator;
    }

    /// <inheritdoc cref="PostgresRepository{TDbContext}(ISagaRegistrationConfigurator, Action{PostgresSagaRepositoryOptions}?)"/>
    public static ISagaRegistrationConfigurator<TSaga> PostgresRepository<TDbContext, TSaga>(this ISagaRegistrationConfigurator<TSaga> configurator,
        Action<PostgresSagaRepositoryOptions>? configure = null)
        where TDbContext : DbContext
        where TSaga : class, ISaga
    {
        var options = new PostgresSagaRepositoryOptions();
        configure?.Invoke(options);
        if (!Enum.IsDefined(options.ConcurrencyMode))
        {
            throw new ArgumentException($"Unknown saga concurrency mode {options.ConcurrencyMode}.", nameof(configure));
        }

        return configurator.Repository(registration =>
        {
            registration.AddSingleton(new PostgresSagaRepositorySettings<TSaga>(options.ConcurrencyMode));
            registration.RegisterLoadSagaRepository<TSaga, PostgresSagaRepositoryContextFactory<TDbContext, TSaga>>();
            registration.RegisterQuerySagaRepository<TSaga, PostgresSagaRepositoryContextFactory<TDbContext, TSaga>>();
            registration.RegisterSagaRepository<TSaga, DbContext, SagaConsumeContextFactory<DbContext, TSaga>,
                PostgresSagaRepositoryContextFactory<TDbContext, TSaga>>();
        });
    }
}
