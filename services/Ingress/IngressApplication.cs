using Automation.Ingress.Sources;
using Automation.Ingress.Storage;
using Automation.Ingress.Telemetry;
using Automation.Ingress.Webhooks;
using Automation.Messaging;
using Automation.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using DatabaseOptions = Automation.Ingress.Storage.DatabaseOptions;

namespace Automation.Ingress;

/// <summary>What the Ingress service is made of.</summary>
public static class IngressApplication
{
    public const string ServiceName = "ingress";

    /// <summary>An optional extra JSON file (e.g. a mounted Kubernetes secret) read after every other source and
    /// watched for changes, so sources and secrets can be changed where environment variables cannot.</summary>
    public const string SourcesFileKey = "Ingress:SourcesFile";

    public static IHostApplicationBuilder AddIngress(this IHostApplicationBuilder builder)
    {
        if (builder.Configuration[SourcesFileKey] is { Length: > 0 } sourcesFile)
        {
            builder.Configuration.AddJsonFile(Path.GetFullPath(sourcesFile), optional: false, reloadOnChange: true);
        }

        var services = builder.Services;
        AddSources(services);
        AddStorage(services);
        services.AddSingleton<IngressTelemetry>();
        services.AddScoped<WebhookAcceptance>();
        services.AddOpenApi();
        builder.AddAutomationMessaging(ServiceName, _ => { });
        return builder;
    }

    public static WebApplication MapIngress(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapWebhookEndpoint();
        return app;
    }

    internal static DbContextOptionsBuilder ConfigureDbContext(DbContextOptionsBuilder options, NpgsqlDataSource dataSource) =>
        options.UseNpgsql(dataSource, Npgsql).UseSnakeCaseNamingConvention();

    internal static DbContextOptionsBuilder<IngressDbContext> ConfigureDbContext(
        DbContextOptionsBuilder<IngressDbContext> options, string connectionString)
    {
        options.UseNpgsql(connectionString, Npgsql).UseSnakeCaseNamingConvention();
        return options;
    }

    private static void Npgsql(Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure.NpgsqlDbContextOptionsBuilder npgsql) =>
        npgsql.MigrationsHistoryTable(IngressDbContext.MigrationsHistoryTable, IngressDbContext.Schema);

    private static void AddSources(IServiceCollection services)
    {
        // Bound without a change token on purpose: reloads go through SourceCatalog, which keeps the last valid
        // configuration instead of failing every later read as a reloading IOptionsMonitor would.
        services.AddSingleton<IValidateOptions<IngressOptions>, IngressOptionsValidator>();
        services.AddOptions<IngressOptions>()
            .Configure<IConfiguration>((options, configuration) => IngressOptionsBinder.Bind(configuration, options))
            .ValidateOnStart();
        services.AddSingleton<SourceCatalog>();
        services.AddHealthChecks().AddCheck<SourceConfigurationHealthCheck>("ingress-sources", tags: [ServiceDefaultsExtensions.ReadyTag]);
    }

    private static void AddStorage(IServiceCollection services)
    {
        services.AddValidatedOptions<DatabaseOptions>(DatabaseOptions.SectionName);
        services.AddSingleton(provider =>
            new NpgsqlDataSourceBuilder(provider.GetRequiredService<IOptions<DatabaseOptions>>().Value.Automation).Build());
        services.AddDbContextPool<IngressDbContext>((provider, options) =>
            ConfigureDbContext(options, provider.GetRequiredService<NpgsqlDataSource>()));
        services.AddScoped<EventStore>();
        services.AddHostedService<IngressDatabaseMigrator>();
        services.AddHealthChecks().AddNpgSql(provider => provider.GetRequiredService<NpgsqlDataSource>(),
            name: "postgresql", tags: [ServiceDefaultsExtensions.ReadyTag]);
    }
}
