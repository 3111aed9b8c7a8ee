using System.ComponentModel;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Automation.Orchestrator.Operations.Summary;

public static partial class SummaryEndpoints
{
    public const string DefaultWindow = "1h";

    private static readonly TimeSpan MaxWindow = TimeSpan.FromDays(31);

    public static RouteGroupBuilder MapSummaryEndpoints(this RouteGroupBuilder operations)
    {
        operations.MapGet("/summary", SummaryAsync)
            .WithName("RunSummary")
            .WithSummary("Failure rate and latency percentiles of the runs that started in a window, overall and per rule")
            .WithDescription("Counts by state; the failure rate is the share of finished runs that compensated or failed; latency "
                + "(p50, p95, p99, in milliseconds) runs from a run's start to its end, over finished runs.");
        return operations;
    }

    private static async Task<Results<Ok<RunSummaryView>, ValidationProblem>> SummaryAsync(
        [FromQuery, Description("How far back: a number and s, m, h or d, e.g. 15m, 1h, 7d; at most 31d (1h).")] string? window,
        HttpRequest request, RunSummary summary, CancellationToken cancellationToken)
    {
        var errors = new ParameterErrors();
        errors.RejectUnknown(request.Query, ["window"]);
        window ??= DefaultWindow;
        var length = ParseWindow(window);
        if (length is null)
        {
            errors.Add("window", $"'{window}' is not a window: a number and s, m, h or d (e.g. 15m, 1h, 7d), from 1s to 31d");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        return TypedResults.Ok(await summary.OfAsync(window, length!.Value, cancellationToken));
    }

    public static TimeSpan? ParseWindow(string window)
    {
        var match = Window().Match(window);
        if (!match.Success || !int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
        {
            return null;
        }

        var length = match.Groups[2].Value switch
        {
            "s" => TimeSpan.FromSeconds(count),
            "m" => TimeSpan.FromMinutes(count),
            "h" => TimeSpan.FromHours(count),
            _ => TimeSpan.FromDays(Math.Min(count, 1000)),
        };
        return length <= MaxWindow ? length : null;
    }

    [GeneratedRegex("^([0-9]{1,7})([smhd])$")]
    private static partial Regex Window();
}
