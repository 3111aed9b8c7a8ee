using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Automation.Orchestrator.Operations;

/// <summary>The operator API's error answers, all problem+json: 400 with an <c>errors</c> map from the parameter's name to
/// what is wrong with it, 404 for an unknown id, 409 for a run still in progress.</summary>
public static class OperationsProblems
{
    public static ValidationProblem BadRequest(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "Some parameters are not valid");

    public static ValidationProblem BadRequest(string parameter, string error) => BadRequest(new Dictionary<string, string[]> { [parameter] = [error] });

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "A run is still in progress");

    public static ProblemHttpResult Unavailable(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: "A server the operator API needs did not answer");
}

/// <summary>Collects what is wrong with a request's parameters, by parameter name.</summary>
public sealed class ParameterErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public void Add(string parameter, string error)
    {
        if (!_errors.TryGetValue(parameter, out var list))
        {
            _errors[parameter] = list = [];
        }

        list.Add(error);
    }

    /// <summary>Every query parameter not in <paramref name="known"/> is an error: a misspelt filter must not widen a
    /// search, nor a replay.</summary>
    public void RejectUnknown(IQueryCollection query, IReadOnlyCollection<string> known)
    {
        foreach (var name in query.Keys.Where(name => !known.Contains(name, StringComparer.OrdinalIgnoreCase)))
        {
            Add(name, $"is not a parameter here; known: {string.Join(", ", known)}");
        }
    }

    /// <summary>A page size given as <c>limit</c>: a whole number from 1 to <paramref name="maxLimit"/>.</summary>
    public int Limit(string? text, int defaultLimit, int maxLimit)
    {
        if (text is null)
        {
            return defaultLimit;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit >= 1 && limit <= maxLimit)
        {
            return limit;
        }

        Add("limit", $"must be a whole number from 1 to {maxLimit}");
        return defaultLimit;
    }

    /// <summary>A page's start given as <c>cursor</c>: the nextCursor of the previous page.</summary>
    public PageCursor? Cursor(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (PageCursor.TryDecode(text) is { } cursor)
        {
            return cursor;
        }

        Add("cursor", "is not a cursor this API gave (use nextCursor as it was returned)");
        return null;
    }

    public ValidationProblem ToProblem() => OperationsProblems.BadRequest(_errors.ToDictionary(entry => entry.Key, entry => entry.Value.ToArray()));
}
