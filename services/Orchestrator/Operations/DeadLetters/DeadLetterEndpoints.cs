using System.ComponentModel;
using Automation.Orchestrator.Operations.Audit;
using Automation.Orchestrator.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using RabbitMQ.Client.Exceptions;

namespace Automation.Orchestrator.Operations.DeadLetters;

public static partial class DeadLetterEndpoints
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    public static RouteGroupBuilder MapDeadLetterEndpoints(this RouteGroupBuilder operations)
    {
        operations.MapGet("/dead-letters", ListQueuesAsync)
            .WithName("ListDeadLetterQueues")
            .WithSummary("The error queues of every service on the broker, with their message counts")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        operations.MapGet("/dead-letters/{queue}", PeekAsync)
            .WithName("ListDeadLetters")
            .WithSummary("An error queue's first messages, with what failed and why")
            .WithDescription("Each message's id and type, the queue it faulted on, the exception's type and message, when, and the "
                + "message itself. The messages stay in the queue, in their order.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        operations.MapPost("/dead-letters/{queue}/redrive", RedriveAsync)
            .WithName("RedriveDeadLetters")
            .WithSummary("Move an error queue's messages (or one) back to the queue they faulted on")
            .WithDescription("Each message keeps its MessageId and body (the consumer's inbox still deduplicates it) and loses its "
                + "fault headers; it is published with a publisher confirm before it leaves the error queue. Recorded in the audit. "
                + "503 when the broker fails half-way: what was moved stays moved, the rest stays in the error queue.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return operations;
    }

    private static async Task<Results<Ok<IReadOnlyList<DeadLetterQueueView>>, ProblemHttpResult>> ListQueuesAsync(BrokerManagement management,
        ErrorQueues queues, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(await queues.CountAsync(await management.ErrorQueuesAsync(cancellationToken), cancellationToken));
        }
        catch (Exception exception) when (IsBrokerUnavailable(exception))
        {
            return OperationsProblems.Unavailable($"RabbitMQ could not be asked: {exception.Message}");
        }
    }

    /// <param name="queue">The error queue, e.g. ci-trigger-trigger-pipeline_error.</param>
    private static async Task<Results<Ok<DeadLetterPageView>, ValidationProblem, ProblemHttpResult>> PeekAsync(string queue,
        [FromQuery, Description("Messages to show, 1 to 100 (20).")] string? limit, HttpRequest request, ErrorQueues queues,
        CancellationToken cancellationToken)
    {
        var errors = Check(queue, request, "limit");
        var size = errors.Limit(limit, DefaultLimit, MaxLimit);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        try
        {
            return await queues.PeekAsync(queue, size, cancellationToken) is { } page
                ? TypedResults.Ok(page)
                : OperationsProblems.NotFound($"No queue named {queue}.");
        }
        catch (Exception exception) when (IsBrokerUnavailable(exception))
        {
            return OperationsProblems.Unavailable($"RabbitMQ could not be asked: {exception.Message}");
        }
    }

    private static async Task<Results<Ok<RedriveView>, ValidationProblem, ProblemHttpResult>> RedriveAsync(string queue,
        [FromQuery, Description("Only this message (its MessageId); default: every message in the queue.")] string? messageId,
        HttpContext context, ErrorQueues queues, AuditLog audit, OrchestratorDbContext db, ILogger<ErrorQueues> logger,
        CancellationToken cancellationToken)
    {
        var errors = Check(queue, context.Request, "messageId");
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        RedriveOutcome outcome;
        try
        {
            outcome = await queues.RedriveAsync(queue, messageId, cancellationToken);
        }
        catch (Exception exception) when (IsBrokerUnavailable(exception))
        {
            return OperationsProblems.Unavailable($"RabbitMQ could not be asked, nothing was moved: {exception.Message}");
        }

        if (!outcome.Found)
        {
            return OperationsProblems.NotFound(outcome.Error!);
        }

        var operatorName = context.User.Identity!.Name!;
        var action = audit.Add(operatorName, OperatorActionKinds.Redrive, new { queue, messageId },
            new { originalQueue = outcome.OriginalQueue, moved = outcome.Moved, error = outcome.Error });
        // Not cancellable: the messages have moved, so their record must be written.
        await db.SaveChangesAsync(CancellationToken.None);
        LogRedriven(logger, operatorName, outcome.Moved.Count, queue, outcome.OriginalQueue, action.Id, outcome.Error ?? "none");
        var view = new RedriveView(action.Id, operatorName, action.At, queue, outcome.OriginalQueue, outcome.Moved, outcome.Error);
        return outcome.Error is null
            ? TypedResults.Ok(view)
            : OperationsProblems.Unavailable($"The redrive stopped half-way ({outcome.Error}); see /operations/audit/{action.Id} for what moved.");
    }

    private static ParameterErrors Check(string queue, HttpRequest request, params string[] parameters)
    {
        var errors = new ParameterErrors();
        errors.RejectUnknown(request.Query, parameters);
        if (!ErrorQueues.IsErrorQueue(queue) || queue.Length > 255)
        {
            errors.Add("queue", $"'{queue}' is not an error queue (a queue name ending in {ErrorQueues.Suffix})");
        }

        return errors;
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Operator {Operator} redrove {Moved} message(s) from {Queue} to {OriginalQueue} (audit {ActionId}); error: {Error}")]
    private static partial void LogRedriven(ILogger logger, string @operator, int moved, string queue, string originalQueue, Guid actionId, string error);

    private static bool IsBrokerUnavailable(Exception exception) =>
        exception is BrokerUnreachableException or HttpRequestException or TaskCanceledException { InnerException: TimeoutException };
}
