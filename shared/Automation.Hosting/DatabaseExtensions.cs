using Automation.Messaging.Postgres;
using Automation.ServiceDefaults;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Automation.Hosting;

public static class DatabaseExtensions
{
    /// <summary>Name of the EF Core migrations history table, kept in each service's own schema.</summary>
    public const string MigrationsHistoryTable = "__ef_migrations_history";

    /// <summary>The shape of every service with a database (the Ingress, and the services whose consumers run behind the
    /// inbox): <see cref="MessagingExtensions.AddAutomationMessaging{TBuilder}"/> plus <typeparamref name="TDbContext"/> on
    /// <c>ConnectionStrings:Automation</c> in <paramref name="schema"/> with its readiness check and migrations, the bus outbox
    /// (what is published outside a consumer, and what consumers publish, is sent after the commit) and the inbox that every
    /// <see cref="InboxConsumerDefinition{TConsumer,TDbContext}"/> puts its consumer behind. A service adds only its
    /// consumers (<paramref name="configure"/>) and the types it publishes for other services (<paramref name="publishes"/>).
    /// Whatever the outbox sends is delivered only to a queue (<see cref="RoutedOnly"/>).</summary>
    public static IHostApplicationBuilder AddAutomationMessaging<TDbContext>(this IHostApplicationBuilder builder, string serviceName,
        string schema, Action<IBusRegistrationConfigurator> configure, IReadOnlyCollection<Type>? publishes = null)
        where TDbContext : DbContext
    {
        builder.AddAutomationDatabase<TDbContext>(schema);
        builder.AddAutomationMessaging(serviceName, bus =>
        {
            bus.AddPostgresOutbox<TDbContext>(outbox => outbox.UseBusOutbox(delivery => delivery.ConfigureSend = RoutedOnly));
            configure(bus);
        }, publishes);
        return builder;
    }

    /// <summary>Sends with RabbitMQ's mandatory flag: a message that no queue is bound to take yet (its consumers' topology
    /// not deployed, say a Kubernetes Job that has not run) comes back from RabbitMQ instead of being dropped, the send fails,
    /// and the message stays in the outbox, sent by a later pass once a queue takes it. An event answered 202, a step command
    /// or a step's result is never lost for want of a queue, whatever order services are deployed in.</summary>
    internal static void RoutedOnly(SendContext context)
    {
        if (context.TryGetPayload(out RabbitMqSendContext? rabbit))
        {
            rabbit.Mandatory = true;
        }
    }

    /// <summary>The DbContext as every service registers it, on PostgreSQL with the migrations history in
    /// <paramref name="schema"/>:
    /// <list type="bullet">
    /// <item>pooled: each consumed message and each request takes a DbContext whose internal services are already set up,
    /// instead of building them again (a tenth of an inbox consumer's CPU time on the bench);</item>
    /// <item>Npgsql prepares the statements a connection runs repeatedly (<c>Max Auto Prepare</c>, unless the connection
    /// string sets it): the inbox's and outbox's statements are the same for every message, and PostgreSQL then skips
    /// parsing and planning them (a quarter of its CPU time per message on the bench).</item>
    /// </list></summary>
    public static IServiceCollection AddAutomationDbContext<TDbContext>(this IServiceCollection services, string schema,
        Func<IServiceProvider, string> connectionString)
        where TDbContext : DbContext
    {
        services.AddDbContextPool<TDbContext>((provider, options) => options.UseNpgsql(
            PostgresConnectionDefaults.Apply(connectionString(provider)),
            npgsql => npgsql.MigrationsHistoryTable(MigrationsHistoryTable, schema)));
        return services;
    }

    /// <summary>Registers <typeparamref name="TDbContext"/> on PostgreSQL (connection string validated at start, migrations
    /// history in <paramref name="schema"/>), its readiness check and its migrations (at start unless
    /// <c>Database:MigrateOnStart</c> is false; always through the <c>migrate</c> command).</summary>
    public static IHostApplicationBuilder AddAutomationDatabase<TDbContext>(this IHostApplicationBuilder builder, string schema)
        where TDbContext : DbContext
    {
        builder.Services.AddValidatedOptions<ConnectionStringOptions>(ConnectionStringOptions.SectionName);
        var database = builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        builder.Services.AddAutomationDbContext<TDbContext>(schema,
            services => services.GetRequiredService<IOptions<ConnectionStringOptions>>().Value.Automation!);
        builder.Services.AddHealthChecks().AddCheck<PostgresDatabaseHealthCheck<TDbContext>>(
            $"postgres-{schema}", tags: [ServiceDefaultsExtensions.ReadyTag]);
        builder.Services.AddPostgresMigrations<TDbContext>(database.MigrateOnStart);
        return builder;
    }
}
