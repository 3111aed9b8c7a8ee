using Automation.Contracts;
using Automation.Orchestrator.Rules;
using Automation.Orchestrator.Runs;
using Automation.Orchestrator.Tests.Connectors;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Automation.Orchestrator.Tests.Runs;

/// <summary>The run state machine on MassTransit's in-memory test harness (in-memory saga repository and delayed
/// scheduler), with scripted stand-ins on the command queues: the fast tier for its transitions.</summary>
public sealed class RunHarness : IAsyncDisposable
{
    public const string FailureChannel = "ops";

    private readonly ServiceProvider _provider;

    private RunHarness(ServiceProvider provider)
    {
        _provider = provider;
        Script = provider.GetRequiredService<ConnectorScript>();
        Harness = provider.GetRequiredService<ITestHarness>();
        Runs = Harness.GetSagaStateMachineHarness<RunStateMachine, RunState>();
    }

    public ITestHarness Harness { get; }

    public ISagaStateMachineTestHarness<RunStateMachine, RunState> Runs { get; }

    /// <summary>What the stand-in connectors answer, and what they received.</summary>
    public ConnectorScript Script { get; }

    public static async Task<RunHarness> StartAsync(TimeSpan? stepTimeout = null)
    {
        var options = new AutomationOptions
        {
            StepTimeout = stepTimeout ?? TimeSpan.FromMinutes(1),
            FailureNotice = new FailureNoticeOptions { Channel = FailureChannel, Template = "{{rule}} failed: {{failure.error}}" },
        };
        var script = new ConnectorScript();
        var provider = new ServiceCollection()
            .AddSingleton(Options.Create(options))
            .AddSingleton(TimeProvider.System)
            .AddSingleton(script)
            .AddSingleton<RunOpener>()
            .AddLogging()
            .AddMassTransitTestHarness(bus =>
            {
                bus.AddDelayedMessageScheduler();
                // On the production queue's name: the runs' timeouts are addressed to it.
                bus.AddSagaStateMachine<RunStateMachine, RunState>().InMemoryRepository().Endpoint(endpoint => endpoint.Name = RunStateDefinition.Queue);
                bus.AddScriptedConnectors();
                bus.UsingInMemory((context, transport) =>
                {
                    transport.UseDelayedMessageScheduler();
                    transport.ConfigureEndpoints(context);
                });
            })
            .BuildServiceProvider(validateScopes: true);
        var harness = new RunHarness(provider);
        await harness.Harness.Start();
        return harness;
    }

    /// <summary>Starts a run of rule <c>rule</c> with these steps for a new event.</summary>
    public async Task<StartRun> StartRunAsync(string eventId, params PlannedStep[] steps)
    {
        var start = new StartRun(RunIds.For("harness", eventId, "rule", 1), Guid.NewGuid(), "harness", eventId, WebhookEventTypes.ContentStateChanged,
            "rule", 1, DateTimeOffset.UtcNow, steps, new Dictionary<string, string> { ["data.title"] = "Hello" });
        await Harness.Bus.Publish(start, TestContext.Current.CancellationToken);
        return start;
    }

    /// <summary>Waits until the run is in <paramref name="state"/> and answers its instance.</summary>
    public async Task<RunState> WaitForState(StartRun start, Func<RunStateMachine, State> state, TimeSpan? timeout = null)
    {
        var found = await Runs.Exists(start.RunId, state, timeout ?? TimeSpan.FromSeconds(30));
        Assert.True(found.HasValue, $"run {start.RunId} did not reach {state(Runs.StateMachine).Name}; it is {Run(start)?.CurrentState}");
        return Run(start)!;
    }

    public RunState? Run(StartRun start) => Runs.Sagas.Contains(start.RunId);

    public static string NewEventId() => $"evt_{Guid.NewGuid():N}";

    public static StepIdentity Step(StartRun start, int step) => new(start.RunId, start.Source, start.EventId, start.Rule, start.Run, step);

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop(CancellationToken.None);
        await _provider.DisposeAsync();
    }
}

/// <summary>Steps as a rule's plan has them.</summary>
public static class Plans
{
    public static PlannedStep Upsert(int number) => new(number, StepKinds.CrmUpsertContact, Email: "ada@example.com", Name: "Ada");

    public static PlannedStep LogActivity(int number) => new(number, StepKinds.CrmLogActivity, Email: "ada@example.com", Template: "{{data.title}}");

    public static PlannedStep Trigger(int number) => new(number, StepKinds.CiTriggerPipeline, Pipeline: "content-publish");

    public static PlannedStep Notify(int number) => new(number, StepKinds.Notify, Channel: "content-team", Template: "{{data.title}}");
}
