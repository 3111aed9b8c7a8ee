using Automation.Contracts;
using Automation.Hosting;
using Automation.Messaging.Postgres;
using Automation.Orchestrator.Events;
using Automation.Orchestrator.Operations;
using Automation.Orchestrator.Persistence;
using Automation.Orchestrator.Rules;
using Automation.Orchestrator.Runs;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Automation.Orchestrator;

/// <summary>What the Orchestrator service is made of: the rules; a consumer per event type that stores the event and
/// opens a run per matching rule; the runs (a saga on PostgreSQL, behind the inbox) and their count by state; its own
/// durable scheduler for the step timeouts; the operator API.</summary>
public static class OrchestratorApplication
{
    public const string ServiceName = "orchestrator";

    public static IHostApplicationBuilder AddOrchestrator(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAutomationRules();
        builder.Services.AddScoped<EventCopyStore>();
        builder.Services.AddSingleton<RunOpener>();
        builder.Services.AddSingleton<RunsEndpointRoom>();
        builder.Services.AddReceiveObserver(provider => provider.GetRequiredService<RunsEndpointRoom>());
        builder.AddAutomationMessaging<OrchestratorDbContext>(ServiceName, OrchestratorDbContext.Schema, bus =>
        {
            bus.AddPostgresMessageScheduler<OrchestratorDbContext>($"{ServiceName}-scheduler");
            bus.AddSagaStateMachine<RunStateMachine, RunState, RunStateDefinition>().PostgresRepository<OrchestratorDbContext>();
            bus.AddConsumer<StartRunsConsumer<ContentStateChanged>, StartRunsConsumerDefinition<ContentStateChanged>>();
            bus.AddConsumer<StartRunsConsumer<SurveyCompleted>, StartRunsConsumerDefinition<SurveyCompleted>>();
            bus.AddConsumer<StartRunsConsumer<ConversationMessageCreated>, StartRunsConsumerDefinition<ConversationMessageCreated>>();
            bus.AddConsumer<StartRunsConsumer<TaskExecuted>, StartRunsConsumerDefinition<TaskExecuted>>();
        });
        builder.Services.ConfigureDbContext<OrchestratorDbContext>(OrchestratorDbContext.Configure, ServiceLifetime.Singleton);
        builder.Services.AddRunsByState();
        builder.AddOperationsApi();
        return builder;
    }

    public static WebApplication MapOrchestrator(this WebApplication app) => app.MapOperationsApi();
}
