using System.Diagnostics;
using Automation.EndToEnd.Tests.Infrastructure;
using Npgsql;
using static Automation.EndToEnd.Tests.Infrastructure.AutomationSystem;

namespace Automation.EndToEnd.Tests.Telemetry;

/// <summary>An idle system records no trace: its background passes (outbox delivery, scheduler, inbox clean-up, backlog
/// measurement) keep polling PostgreSQL, and none of it is a span; a pass that moved an event's message is a short trace
/// linked to that event's.</summary>
public sealed class IdleTelemetryTests(AutomationSystem system, RecordedSpans spans)
    : IClassFixture<AutomationSystem>, IClassFixture<RecordedSpans>
{
    [Fact]
    public async Task Background_passes_that_find_nothing_record_no_span_and_passes_that_move_a_message_link_to_its_event()
    {
        var eventId = Webhooks.NewEventId();
        system.HubSpot.AnswersActivity(KeyOf(eventId, "message-created", 1), "5301", "7301");
        await system.Webhooks.AcceptedAsync(eventId, EventData.MessageCreated, EventData.Message());
        await system.Runs.WaitFor(eventId, "message-created", "Completed");
        var eventTrace = spans.All.Single(span => span.OperationName == "webhook accept" && span.GetTagItem("automation.event.id") as string == eventId).TraceId;
        var idleFrom = DateTime.UtcNow;

        // The services' passes poll the database all along: wait for a few of their transactions, not for a fixed time.
        var transactionsBefore = await TransactionsOnAsync(system.Database.Name);
        await Eventually.Until(async () => await TransactionsOnAsync(system.Database.Name) >= transactionsBefore + 10,
            "the services' background passes ran 10 transactions", TimeSpan.FromSeconds(60));

        var passesThatMovedIt = spans.All.Where(span => span.Source.Name == "Automation.Messaging.Postgres" && span.ParentSpanId == default
            && span.Links.Any(link => link.Context.TraceId == eventTrace)).Select(span => span.TraceId).ToHashSet();
        Assert.NotEmpty(passesThatMovedIt);
        var idleSpans = spans.OnDatabase(system.Database.Name)
            .Where(span => span.StartTimeUtc >= idleFrom && span.TraceId != eventTrace && !passesThatMovedIt.Contains(span.TraceId))
            .Select(span => $"{span.DisplayName}: {span.GetTagItem("db.query.text")}").ToList();
        Assert.True(idleSpans.Count == 0, $"Idle passes recorded {idleSpans.Count} spans:{Environment.NewLine}{string.Join(Environment.NewLine, idleSpans.Take(5))}");
    }

    /// <summary>Transactions committed and rolled back on the database so far, as PostgreSQL's statistics count them
    /// (read from another database, so that reading them adds none).</summary>
    private static async Task<long> TransactionsOnAsync(string database)
    {
        var servers = await TestInfrastructure.GetServersAsync();
        await using var connection = new NpgsqlConnection(servers.PostgresConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = $1", connection)
        {
            Parameters = { new() { Value = database } },
        };
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }
}
