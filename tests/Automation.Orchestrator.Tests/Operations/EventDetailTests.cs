using System.Net;
using System.Text.Json;
using Automation.Orchestrator.Runs;
using Automation.Orchestrator.Tests.Connectors;
using Automation.Testing;

namespace Automation.Orchestrator.Tests.Operations;

/// <summary>An event's detail: its copy, its trace and link, and each run's steps as the run recorded them.</summary>
public sealed class EventDetailTests(OperationsService service) : IClassFixture<OperationsService>
{
    [Fact]
    public async Task An_events_detail_shows_its_data_its_trace_and_every_step_of_its_runs()
    {
        var source = OperationsEvents.NewSource();
        var eventId = OperationsEvents.NewEventId();
        service.Connectors.Script.On(eventId, 2, ScriptedAnswer.Fail);
        var content = OperationsEvents.Content(source, eventId);
        await service.Publish(content);
        var run = await service.WaitForRun(eventId, "content-published", "Compensated");
        await service.WaitForRun(eventId, OperationsService.AnyContent, "Completed");
        await Eventually.Until(async () => (await service.RunsOf(eventId)).Single(candidate => candidate.Rule == "content-published").StepAt(0)?.Status
            == StepStatus.Succeeded, "the failure notice was answered");
        using var client = service.Operator();

        var detail = await client.GetJson($"/operations/events/{content.Metadata.Id}");

        Assert.Equal((eventId, source, "published"),
            (detail.GetProperty("eventId").GetString(), detail.GetProperty("source").GetString(), detail.GetProperty("data").GetProperty("toState").GetString()));
        var traceId = detail.GetProperty("traceId").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", traceId);
        Assert.Equal($"http://traces.test/trace/{traceId}", detail.GetProperty("traceUrl").GetString());
        var runs = detail.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal([OperationsService.AnyContent, "content-published"], runs.Select(item => item.GetProperty("rule").GetString()));
        var compensated = runs[1];
        Assert.Equal((run.CorrelationId, 1, "compensated", 2), (compensated.GetProperty("runId").GetGuid(), compensated.GetProperty("run").GetInt32(),
            compensated.GetProperty("state").GetString(), compensated.GetProperty("failedStep").GetInt32()));
        Assert.Contains("refused by the script", compensated.GetProperty("failure").GetString(), StringComparison.Ordinal);
        Assert.Equal(traceId, compensated.GetProperty("traceId").GetString());
        Assert.True(compensated.GetProperty("finishedAt").GetDateTime() >= compensated.GetProperty("startedAt").GetDateTime());

        var steps = compensated.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal([(1, "crm.log_activity"), (2, "ci.trigger_pipeline"), (3, "notify"), (0, "notify")],
            steps.Select(step => (step.GetProperty("number").GetInt32(), step.GetProperty("kind").GetString())));
        var (note, pipeline, notification, notice) = (steps[0], steps[1], steps[2], steps[3]);
        Assert.Equal(("succeeded", 1, "ref-content-published-1", "compensated"), (note.GetProperty("status").GetString(),
            note.GetProperty("attempts").GetInt32(), note.GetProperty("externalReference").GetString(), note.GetProperty("compensation").GetString()));
        Assert.Equal(JsonValueKind.String, note.GetProperty("compensatedAt").ValueKind);
        Assert.Equal("failed", pipeline.GetProperty("status").GetString());
        Assert.Contains("refused by the script", pipeline.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.String, pipeline.GetProperty("finishedAt").ValueKind);
        Assert.Equal(("pending", JsonValueKind.Null), (notification.GetProperty("status").GetString(), notification.GetProperty("startedAt").ValueKind));
        Assert.Equal("succeeded", notice.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("0b0e5a44-5a9b-4d0e-9a39-0d5c6f5d1d11")]
    [InlineData("not-an-id")]
    public async Task An_unknown_event_is_answered_404(string id)
    {
        using var client = service.Operator();

        var problem = await client.GetJson($"/operations/events/{id}", HttpStatusCode.NotFound);

        Assert.Contains(id, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
