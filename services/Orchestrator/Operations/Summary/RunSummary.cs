using System.Data.Common;
using Automation.Orchestrator.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Automation.Orchestrator.Operations.Summary;

/// <summary>Failure rate and latency of the runs that started in a window, overall and per rule, computed by PostgreSQL
/// from the runs table (on its started_at index).</summary>
public sealed class RunSummary(OrchestratorDbContext db, TimeProvider clock)
{
    // Grouping sets give the per-rule rows and the overall row (rule NULL) in one pass.
    private const string Sql = """
        SELECT rule,
               count(*),
               count(*) FILTER (WHERE current_state IN ('Running', 'Compensating')),
               count(*) FILTER (WHERE current_state = 'Completed'),
               count(*) FILTER (WHERE current_state = 'Compensated'),
               count(*) FILTER (WHERE current_state = 'Failed'),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - started_at)::float8) FILTER (WHERE finished_at IS NOT NULL),
               percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - started_at)::float8) FILTER (WHERE finished_at IS NOT NULL),
               percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - started_at)::float8) FILTER (WHERE finished_at IS NOT NULL)
        FROM orchestrator.runs
        WHERE started_at >= @since
        GROUP BY GROUPING SETS ((rule), ())
        """;

    public async Task<RunSummaryView> OfAsync(string window, TimeSpan length, CancellationToken cancellationToken)
    {
        var to = clock.GetUtcNow();
        var from = to - length;
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Sql;
            var since = command.CreateParameter();
            since.ParameterName = "since";
            since.Value = from.UtcDateTime;
            command.Parameters.Add(since);
            RunFigures? overall = null;
            var rules = new List<RuleFigures>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var figures = Read(reader);
                if (reader.IsDBNull(0))
                {
                    overall = figures;
                }
                else
                {
                    rules.Add(new RuleFigures(reader.GetString(0), figures));
                }
            }

            return new RunSummaryView(window, from, to, overall ?? RunFigures.None, [.. rules.OrderBy(rule => rule.Rule, StringComparer.Ordinal)]);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static RunFigures Read(DbDataReader reader)
    {
        var (runs, inProgress, completed, compensated, failed) =
            (reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5));
        var finished = completed + compensated + failed;
        return new RunFigures(runs, inProgress, completed, compensated, failed,
            finished == 0 ? null : (double)(compensated + failed) / finished,
            new LatencyFigures(Milliseconds(reader, 6), Milliseconds(reader, 7), Milliseconds(reader, 8)));
    }

    private static double? Milliseconds(DbDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetDouble(column) * 1000;
}

/// <summary>Runs that started in the window, from <see cref="From"/> to <see cref="To"/>.</summary>
public sealed record RunSummaryView(string Window, DateTimeOffset From, DateTimeOffset To, RunFigures Overall, IReadOnlyList<RuleFigures> Rules);

public sealed record RuleFigures(string Rule, RunFigures Figures);

/// <param name="InProgress">Running or compensating: not counted in the failure rate or the latency.</param>
/// <param name="FailureRate">Of the finished runs, the share that did not complete (compensated or failed); null when none finished.</param>
/// <param name="Latency">From a run's start to its end (completed, compensated or failed), over the finished runs.</param>
public sealed record RunFigures(long Runs, long InProgress, long Completed, long Compensated, long Failed, double? FailureRate, LatencyFigures Latency)
{
    public static readonly RunFigures None = new(0, 0, 0, 0, 0, null, new LatencyFigures(null, null, null));
}

/// <summary>Percentiles in milliseconds (interpolated, PostgreSQL's percentile_cont); null when no run finished.</summary>
public sealed record LatencyFigures(double? P50, double? P95, double? P99);
