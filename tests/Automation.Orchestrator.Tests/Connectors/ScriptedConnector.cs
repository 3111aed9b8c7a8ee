using System.Diagnostics;
using Automation.Contracts;
using MassTransit;

namespace Automation.Orchestrator.Tests.Connectors;

/// <summary>Stands in for a connector's consumer of one command, on the command's queue: answers as the
/// <see cref="ConnectorScript"/> says, as the real connectors do (publishing <see cref="StepSucceeded"/> with the effect's
/// reference, or <see cref="StepCompensated"/>).</summary>
public sealed class ScriptedConnector<TCommand>(ConnectorScript script) : IConsumer<TCommand>
    where TCommand : class, IStepCommand
{
    private static readonly bool IsCompensation = typeof(TCommand) == typeof(DeleteCrmNote) || typeof(TCommand) == typeof(CancelPipeline);

    public async Task Consume(ConsumeContext<TCommand> context)
    {
        var step = context.Message.Step;
        switch (script.Answer(context.Message, IsCompensation, context.MessageId, Activity.Current?.Recorded == true))
        {
            case ScriptedAnswer.Fail:
                throw new ScriptedFailureException($"{typeof(TCommand).Name} {step.IdempotencyKey} refused by the script (as a 422 would be)");
            case ScriptedAnswer.Silent:
                return;
            case ScriptedAnswer.Succeed when IsCompensation:
                await context.Publish(new StepCompensated(step, $"undone {ReferenceOf(context.Message) ?? "(found by key)"}", DateTimeOffset.UtcNow));
                return;
            default:
                await context.Publish(new StepSucceeded(step, ReferenceFor(step), 1, DateTimeOffset.UtcNow));
                return;
        }
    }

    /// <summary>The external reference the stand-in reports for a step.</summary>
    public static string ReferenceFor(StepIdentity step) => $"ref-{step.Rule}-{step.Step}";

    private static string? ReferenceOf(TCommand command) => command switch
    {
        DeleteCrmNote delete => delete.NoteId,
        CancelPipeline cancel => cancel.RunReference,
        _ => null,
    };

    public static void Register(IBusRegistrationConfigurator bus, string queue) =>
        bus.AddConsumer<ScriptedConnector<TCommand>>().Endpoint(endpoint => endpoint.Name = queue);
}

public sealed class ScriptedFailureException(string message) : Exception(message);

public static class ScriptedConnectors
{
    /// <summary>A stand-in on every command queue of <see cref="StepCommandQueues"/>.</summary>
    public static IBusRegistrationConfigurator AddScriptedConnectors(this IBusRegistrationConfigurator bus)
    {
        ScriptedConnector<UpsertCrmContact>.Register(bus, StepCommandQueues.UpsertCrmContact);
        ScriptedConnector<LogCrmActivity>.Register(bus, StepCommandQueues.LogCrmActivity);
        ScriptedConnector<DeleteCrmNote>.Register(bus, StepCommandQueues.DeleteCrmNote);
        ScriptedConnector<TriggerPipeline>.Register(bus, StepCommandQueues.TriggerPipeline);
        ScriptedConnector<CancelPipeline>.Register(bus, StepCommandQueues.CancelPipeline);
        ScriptedConnector<SendNotification>.Register(bus, StepCommandQueues.SendNotification);
        return bus;
    }
}
