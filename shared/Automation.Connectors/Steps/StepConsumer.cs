using Automation.Contracts;
using MassTransit;

namespace Automation.Connectors;

/// <summary>Does one kind of step against an external system, at most once per idempotency key: a command whose key has an
/// outcome already (a late duplicate, a resent command) is answered with it and calls nothing. The call's outcome and the
/// published <see cref="StepSucceeded"/> commit with the inbox row, so a crash after the call and before the commit is the
/// only window in which a call can repeat — and the key travels with the call (header or the API's own field) for systems
/// that recognise it.</summary>
public abstract class StepConsumer<TCommand>(StepOutcomes outcomes) : IConsumer<TCommand>
    where TCommand : class, IStepCommand
{
    public async Task Consume(ConsumeContext<TCommand> context)
    {
        var step = context.Message.Step;
        var attempt = StepMetrics.Start(typeof(TCommand), GetType());
        try
        {
            await outcomes.LockAsync(step.IdempotencyKey, context.CancellationToken);
            var outcome = await outcomes.FindAsync(step.IdempotencyKey, context.CancellationToken)
                ?? outcomes.Record(step.IdempotencyKey, await CallAsync(context.Message, context.CancellationToken), detail: null);
            await context.Publish(new StepSucceeded(step, outcome.ExternalReference, outcomes.AttemptsOf(context), Utc(outcome.CompletedAt)));
        }
        catch (Exception exception)
        {
            attempt.Failed(exception);
            throw;
        }

        attempt.Succeeded();
    }

    /// <summary>Makes the call; throws <see cref="TransientStepException"/> or <see cref="PermanentStepException"/> when it
    /// fails (<see cref="ExternalCall.SendAsync"/> does).</summary>
    /// <returns>What the external system calls the effect, needed to undo it; null when there is nothing to refer to.</returns>
    protected abstract Task<string?> CallAsync(TCommand command, CancellationToken cancellationToken);

    internal static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));
}

/// <summary>Undoes one kind of step, at most once per compensation key. Only an undo that happened is recorded: finding
/// nothing to undo (the step's outcome was unknown and nothing is there yet) is answered but not remembered, so a later
/// compensation of the same step — after its late success — looks again.</summary>
public abstract class CompensationConsumer<TCommand>(StepOutcomes outcomes) : IConsumer<TCommand>
    where TCommand : class, IStepCommand
{
    /// <summary>The <see cref="StepCompensated.Outcome"/> when there was nothing to undo.</summary>
    public const string NothingToUndo = "nothing to undo";

    public async Task Consume(ConsumeContext<TCommand> context)
    {
        var step = context.Message.Step;
        var attempt = StepMetrics.Start(typeof(TCommand), GetType());
        try
        {
            await outcomes.LockAsync(step.CompensationKey, context.CancellationToken);
            var done = await outcomes.FindAsync(step.CompensationKey, context.CancellationToken);
            if (done is null)
            {
                var reference = ReferenceOf(context.Message)
                    ?? (await outcomes.FindAsync(step.IdempotencyKey, context.CancellationToken))?.ExternalReference;
                var undone = await UndoAsync(context.Message, reference, context.CancellationToken);
                if (undone is null)
                {
                    await context.Publish(new StepCompensated(step, NothingToUndo, DateTimeOffset.UtcNow));
                    attempt.Compensated("nothing_to_undo");
                    return;
                }

                done = outcomes.Record(step.CompensationKey, reference, undone);
            }

            await context.Publish(new StepCompensated(step, done.Detail ?? "", StepConsumer<TCommand>.Utc(done.CompletedAt)));
        }
        catch (Exception exception)
        {
            attempt.Failed(exception);
            attempt.Compensated("failed");
            throw;
        }

        attempt.Succeeded();
        attempt.Compensated("undone");
    }

    /// <summary>The effect's reference as the command carries it (null when the step's outcome was unknown).</summary>
    protected abstract string? ReferenceOf(TCommand command);

    /// <summary>Undoes the effect. <paramref name="reference"/> is the command's, else the step's recorded outcome here, else
    /// null: then look the effect up by the step's key where the API allows it.</summary>
    /// <returns>What was done, for operators (e.g. "note 123 deleted"); null when there was nothing to undo.</returns>
    protected abstract Task<string?> UndoAsync(TCommand command, string? reference, CancellationToken cancellationToken);
}
