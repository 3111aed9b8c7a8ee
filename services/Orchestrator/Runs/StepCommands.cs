using Automation.Contracts;
using MassTransit;

namespace Automation.Orchestrator.Runs;

/// <summary>The command that does a step, the one that undoes it, and the queue each goes to.</summary>
public static class StepCommands
{
    private static readonly Dictionary<string, string> NoParameters = [];

    public static bool IsCompensable(string kind) => kind is StepKinds.CrmLogActivity or StepKinds.CiTriggerPipeline;

    public static (string Queue, IStepCommand Command) Do(RunState run, StepRecord step)
    {
        var plan = step.Plan;
        var identity = run.IdentityOf(plan.Number);
        return plan.Kind switch
        {
            StepKinds.CrmUpsertContact => (StepCommandQueues.UpsertCrmContact,
                new UpsertCrmContact(identity, plan.Email, plan.Name, plan.Parameters ?? NoParameters)),
            StepKinds.CrmLogActivity => (StepCommandQueues.LogCrmActivity,
                new LogCrmActivity(identity, plan.Email, plan.Template!, run.Values, new DateTimeOffset(run.OccurredAt, TimeSpan.Zero))),
            StepKinds.CiTriggerPipeline => (StepCommandQueues.TriggerPipeline,
                new TriggerPipeline(identity, plan.Pipeline!, plan.Parameters ?? NoParameters)),
            StepKinds.Notify => (StepCommandQueues.SendNotification,
                new SendNotification(identity, plan.Channel!, plan.Template!, WithParameters(run.Values, plan.Parameters))),
            _ => throw new InvalidOperationException($"Run {run.CorrelationId} has a step of unknown kind '{plan.Kind}'."),
        };
    }

    /// <summary>Undoes a step; the reference is null when its outcome is unknown (the connector then looks by the step's key).</summary>
    public static (string Queue, IStepCommand Command) Undo(RunState run, StepRecord step)
    {
        var identity = run.IdentityOf(step.Plan.Number);
        return step.Plan.Kind switch
        {
            StepKinds.CrmLogActivity => (StepCommandQueues.DeleteCrmNote, new DeleteCrmNote(identity, step.ExternalReference)),
            StepKinds.CiTriggerPipeline => (StepCommandQueues.CancelPipeline,
                new CancelPipeline(identity, step.Plan.Pipeline!, step.ExternalReference)),
            _ => throw new InvalidOperationException($"A {step.Plan.Kind} step cannot be undone."),
        };
    }

    /// <summary>Sends through the consume context: behind the inbox, the command leaves only if the run's change commits.</summary>
    public static async Task SendAsync(ConsumeContext context, (string Queue, IStepCommand Command) command)
    {
        var endpoint = await context.GetSendEndpoint(StepCommandQueues.Address(command.Queue));
        await endpoint.Send(command.Command, command.Command.GetType(), context.CancellationToken);
    }

    private static Dictionary<string, string> WithParameters(Dictionary<string, string> values, IReadOnlyDictionary<string, string>? parameters)
    {
        if (parameters is null)
        {
            return values;
        }

        var merged = new Dictionary<string, string>(values, StringComparer.Ordinal);
        foreach (var (key, value) in parameters)
        {
            merged[key] = value;
        }

        return merged;
    }
}
