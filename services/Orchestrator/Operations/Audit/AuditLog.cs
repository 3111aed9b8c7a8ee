using System.Text.Json;
using Automation.Orchestrator.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Automation.Orchestrator.Operations.Audit;

/// <summary>Writes and reads the operator actions (<c>operator_actions</c>).</summary>
public sealed class AuditLog(OrchestratorDbContext db, TimeProvider clock)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Adds an action to the scope's DbContext; the caller's <c>SaveChanges</c> stores it, in its transaction.</summary>
    public OperatorAction Add(string operatorName, string kind, object request, object result)
    {
        var action = new OperatorAction
        {
            Id = Guid.CreateVersion7(),
            Operator = operatorName,
            At = clock.GetUtcNow(),
            Kind = kind,
            Request = JsonSerializer.Serialize(request, Json),
            Result = JsonSerializer.Serialize(result, Json),
        };
        db.OperatorActions.Add(action);
        return action;
    }

    public async Task<OperatorActionView?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        await db.OperatorActions.AsNoTracking().SingleOrDefaultAsync(action => action.Id == id, cancellationToken) is { } action
            ? OperatorActionView.Of(action)
            : null;

    /// <summary>Newest first, by (at, id), optionally of one operator or kind.</summary>
    public async Task<AuditPageView> PageAsync(string? operatorName, string? kind, PageRequest page, CancellationToken cancellationToken)
    {
        var actions = db.OperatorActions.AsNoTracking();
        if (operatorName is not null)
        {
            actions = actions.Where(action => action.Operator == operatorName);
        }

        if (kind is not null)
        {
            actions = actions.Where(action => action.Kind == kind);
        }

        if (page.After is { } after)
        {
            actions = actions.Where(action => EF.Functions.LessThan(ValueTuple.Create(action.At, action.Id), ValueTuple.Create(after.At, after.Id)));
        }

        var found = await actions.OrderByDescending(action => action.At).ThenByDescending(action => action.Id)
            .Take(page.Limit + 1).ToListAsync(cancellationToken);
        string? next = null;
        if (found.Count > page.Limit)
        {
            found.RemoveAt(page.Limit);
            next = new PageCursor(found[^1].At, found[^1].Id).Encode();
        }

        return new AuditPageView([.. found.Select(OperatorActionView.Of)], next);
    }
}

/// <summary>An operator action as the audit endpoints show it.</summary>
/// <param name="Kind">replay or redrive.</param>
/// <param name="Request">What was asked: the event and rule, or the filter's parameters; the queue and message id.</param>
/// <param name="Result">What came of it: the runs started and the (event, rule) pairs skipped with why; the messages moved.</param>
public sealed record OperatorActionView(Guid Id, string Operator, DateTimeOffset At, string Kind, JsonElement Request, JsonElement Result)
{
    public static OperatorActionView Of(OperatorAction action)
    {
        using var request = JsonDocument.Parse(action.Request);
        using var result = JsonDocument.Parse(action.Result);
        return new(action.Id, action.Operator, action.At, action.Kind, request.RootElement.Clone(), result.RootElement.Clone());
    }
}

public sealed record AuditPageView(IReadOnlyList<OperatorActionView> Items, string? NextCursor);
