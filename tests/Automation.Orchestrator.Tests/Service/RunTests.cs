using Automation.Contracts;
using Automation.Orchestrator.Runs;
using Automation.Orchestrator.Tests.Connectors;
using Automation.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Automation.Orchestrator.Tests.Service;

/// <summary>Runs of the shipped content rule through the real saga repository (row locks, behind the inbox) and the
/// durable scheduler, against scripted connectors on real RabbitMQ.</summary>
public sealed class RunTests(OrchestratorService service) : IClassFixture<OrchestratorService>
{
    private const string Rule = "content-published";

    [Fact]
    public async Task A_run_does_its_steps_in_order_records_them_in_its_row_and_completes()
    {
        var eventId = TestEvents.NewEventId();

        await service.Publish(TestEvents.Content(eventId));

        var run = await service.WaitForRun(eventId, Rule, "Completed");
        var commands = service.Connectors.Script.For(eventId);
        Assert.Equal([typeof(LogCrmActivity), typeof(TriggerPipeline), typeof(SendNotification)], commands.Select(command => command.GetType()));
        var activity = Assert.IsType<LogCrmActivity>(commands[0]);
        Assert.Equal($"{TestEvents.Source}:{eventId}:{Rule}:1:1", activity.Step.IdempotencyKey);
        Assert.Equal("grace@example.com", activity.ContactEmail);
        Assert.Equal("Grace Hopper", activity.Values["data.author.name"]);
        var pipeline = Assert.IsType<TriggerPipeline>(commands[1]);
        Assert.Equal(("content-publish", "c42"), (pipeline.Pipeline, pipeline.Variables["content_id"]));
        Assert.Equal("content-team", Assert.IsType<SendNotification>(commands[2]).Channel);
        Assert.All(run.Steps, step => Assert.Equal((StepStatus.Succeeded, $"ref-{Rule}-{step.Plan.Number}"), (step.Status, step.ExternalReference)));

        // The row is there for the operator API: plain columns, and the steps as jsonb.
        Assert.Equal(("Completed", "succeeded", $"ref-{Rule}-2"), await RowAsync(eventId));
        // Each step's timeout went through the durable scheduler and was cancelled when the step answered.
        await Eventually.Until(async () => (await service.TimeoutsOf(run.CorrelationId)) is { Count: 3 } timeouts
                && timeouts.All(timeout => timeout.CancelledAt is not null && timeout.DeliveredAt is null),
            "the three step timeouts were stored and cancelled");
    }

    [Fact]
    public async Task A_step_that_fails_for_good_is_looked_for_by_its_key_the_note_undone_and_the_failure_notice_sent()
    {
        var eventId = TestEvents.NewEventId();
        service.Connectors.Script.On(eventId, 2, ScriptedAnswer.Fail);

        await service.Publish(TestEvents.Content(eventId));

        var run = await service.WaitForRun(eventId, Rule, "Compensated");
        await Eventually.Until(() => service.Connectors.Script.For(eventId).Count == 5, "the failure notice was sent");
        var commands = service.Connectors.Script.For(eventId);
        Assert.Equal(
            [(typeof(LogCrmActivity), 1), (typeof(TriggerPipeline), 2), (typeof(CancelPipeline), 2), (typeof(DeleteCrmNote), 1),
                (typeof(SendNotification), 0)],
            commands.Select(command => (command.GetType(), command.Step.Step)));
        Assert.Null(Assert.IsType<CancelPipeline>(commands[2]).RunReference);
        Assert.Equal($"ref-{Rule}-1", Assert.IsType<DeleteCrmNote>(commands[3]).NoteId);
        Assert.Equal("ops", Assert.IsType<SendNotification>(commands[4]).Channel);
        Assert.Equal((2, StepStatus.Failed, CompensationStatus.Compensated, CompensationStatus.Compensated),
            (run.FailedStep, run.StepAt(2)!.Status, run.StepAt(2)!.Compensation, run.StepAt(1)!.Compensation));
        Assert.Contains("refused by the script", run.Failure, StringComparison.Ordinal);
        Assert.Equal(StepStatus.Pending, run.StepAt(3)!.Status);
    }

    private async Task<(string State, string? FirstStatus, string? SecondReference)> RowAsync(string eventId)
    {
        await using var connection = new NpgsqlConnection(service.Database.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT current_state, steps->0->>'status', steps->1->>'externalReference' FROM orchestrator.runs WHERE event_id = $1 AND rule = $2",
            connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = eventId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Rule });
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        Assert.True(await reader.ReadAsync(TestContext.Current.CancellationToken), "no run row");
        return (reader.GetString(0), reader.GetString(1), reader.GetString(2));
    }
}
