using Automation.Messaging.Postgres;
using Automation.ServiceDefaults;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Automation.Messaging;

public static class DatabaseExtensions
{
    /// <summary>Name of the EF Core migrations history table, kept in each service's own schema.</summary>
    public const string MigrationsHistoryTable = "__ef_migrations_history";

    /// <summary><see cref="MessagingExtensions.AddAutomationMessaging{TBuilder}"/> plus the service's PostgreSQL database:
    /// <typeparamref name="TDbContext"/> on <c>ConnectionStrings:Automation</c> in <paramref name="schema"/>, the bus outbox
    /// (the scoped publish endpoint writes to the DbContext outside consumers), the inbox/outbox that consumer definitions
    /// enable with <c>UsePostgresInboxOutbox&lt;TDbContext&gt;</c>, a readiness check and migrations.</summary>
    public static IHostApplicationBuilder AddAutomationMessaging<TDbContext>(this IHostApplicationBuilder builder, string serviceName,
        string schema, Action<IBusRegistrationConfigurator> configure, IReadOnlyCollection<Type>? publishes = null)
        where TDbContext : DbContext
    {
        builder.AddAutomationDatabase<TDbContext>(schema);
        builder.AddAutomationMessaging(serviceName, bus =>
        {
            bus.AddPostgresOutbox<TDbContext>(outbox => outbox.UseBusOutbox());
            configure(bus);
        }, publishes);
        return builder;
    }

    /// <summary>Registers <typeparamref name="TDbContext"/> on PostgreSQL (connection string validated at start, migrations
    /// history in <paramref name="schema"/>), its readiness check and its migrations (at start unless
    /// <c>Database:MigrateOnStart</c> is false; always through the <c>migrate</c> command).</summary>
    public static IHostApplicationBuilder AddAutomationDatabase<TDbContext>(this IHostApplicationBuilder builder, string schema)
        where TDbContext : DbContext
    {
        builder.Services.AddValidatedOptions<ConnectionStringOptions>(ConnectionStringOptions.SectionName);
        var database = builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        builder.Services.AddDbContext<TDbContext>((services, options) => options.UseNpgsql(
            services.GetRequiredService<IOptions<ConnectionStringOptions>>().Value.Automation,
            npgsql => npgsql.MigrationsHistoryTable(MigrationsHistoryTable, schema)));
        builder.Services.AddHealthChecks().AddCheck<PostgresDatabaseHealthCheck<TDbContext>>(
            $"postgres-{schema}", tags: [ServiceDefaultsExtensions.ReadyTag]);
        builder.Services.AddPostgresMigrations<TDbContext>(database.MigrateOnStart);
        return builder;
    }
}
