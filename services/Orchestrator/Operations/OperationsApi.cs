using Automation.Hosting;
using Automation.Orchestrator.Operations.Access;
using Automation.Orchestrator.Operations.Audit;
using Automation.Orchestrator.Operations.DeadLetters;
using Automation.Orchestrator.Operations.Events;
using Automation.Orchestrator.Operations.Replays;
using Automation.Orchestrator.Operations.Summary;
using Automation.ServiceDefaults;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Automation.Orchestrator.Operations;

/// <summary>The operator API (docs/operations.md): on the public port under <see cref="Prefix"/>, every route behind an
/// operator's key; its OpenAPI document beside the service's other operations endpoints.</summary>
public static class OperationsApi
{
    public const string Prefix = "/operations";

    public static IHostApplicationBuilder AddOperationsApi(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<IValidateOptions<OperationsOptions>, OperationsOptionsValidator>();
        services.AddOptions<OperationsOptions>()
            .BindConfiguration(OperationsOptions.SectionName, binder => binder.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        services.AddSingleton<OperatorKeys>();
        services.AddHostedService<OperatorKeysStartupCheck>();
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, OperatorKeyAuthenticationHandler>(OperatorKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(OperatorKeyAuthenticationHandler.Policy, policy => policy
            .AddAuthenticationSchemes(OperatorKeyAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser());
        services.AddSingleton<TraceLinks>();
        services.AddScoped<EventSearch>();
        services.AddScoped<RunReplayer>();
        services.AddScoped<AuditLog>();
        services.AddScoped<RunSummary>();
        services.AddSingleton<ErrorQueues>();
        services.AddHttpClient<BrokerManagement>((provider, client) => BrokerManagement.Configure(client,
            provider.GetRequiredService<IOptions<OperationsOptions>>().Value.RabbitMqManagement,
            provider.GetRequiredService<IOptions<RabbitMqOptions>>().Value.Uri!));
        services.AddOpenApi(document => document.AddDocumentTransformer(DescribeOperatorKeys));
        return builder;
    }

    public static WebApplication MapOperationsApi(this WebApplication app)
    {
        app.MapOpenApi().RequireManagementPort();
        app.MapGroup(Prefix)
            .RequireAuthorization(OperatorKeyAuthenticationHandler.Policy)
            .WithTags("Operations")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .MapEventEndpoints()
            .MapReplayEndpoints()
            .MapAuditEndpoints()
            .MapDeadLetterEndpoints()
            .MapSummaryEndpoints();
        return app;
    }

    private static Task DescribeOperatorKeys(OpenApiDocument document, Microsoft.AspNetCore.OpenApi.OpenApiDocumentTransformerContext context,
        CancellationToken cancellationToken)
    {
        document.Info.Title = "Automation operator API";
        document.Info.Description = "Search events and their runs, replay them, list and redrive dead letters, and summarise failures "
            + "and latency. Every route needs Authorization: Bearer <an operator's key> (Operations:ApiKeys).";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[OperatorKeyAuthenticationHandler.SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An operator's key from Operations:ApiKeys:{operator}.",
        };
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(OperatorKeyAuthenticationHandler.SchemeName, document)] = [] }];
        return Task.CompletedTask;
    }
}
