using System.Net;
using System.Text.Json;
using Automation.Orchestrator.Runs;
using Automation.Orchestrator.Tests.Connectors;

namespace Automation.Orchestrator.Tests.Operations;

/// <summary>Replays start run n + 1 through the normal path, whose commands carry the new run's keys; a run in progress is
/// not replayed; every replay is in the audit with who asked, what, and which runs it started.</summary>
public sealed class ReplayTests(OperationsService service) : IClassFixture<OperationsService>
{
    private const string Published = "content-published";

    [Fact]
    public async Task Replaying_an_event_starts_run_2_of_each_rule_whose_commands_carry_run_2s_keys()
    {
        var (source, eventId, recordId) = await CompletedContentEvent();
        using var client = service.Operator();

        using var response = await client.PostAsync(new Uri($"/operations/events/{recordId}/replay", UriKind.Relative), null,
            TestContext.Current.CancellationToken);
        var replay = await OperatorApi.Read(response, HttpStatusCode.Accepted);

        var started = replay.GetProperty("started").EnumerateArray().ToList();
        Assert.Equal([(OperationsService.AnyContent, 2), (Published, 2)], started.Select(run => (run.GetProperty("rule").GetString(), run.GetProperty("run").GetInt32())));
        Assert.Equal(RunIds.For(source, eventId, Published, 2), started[1].GetProperty("runId").GetGuid());
        Assert.Equal($"/operations/audit/{replay.GetProperty("id").GetGuid()}", response.Headers.Location?.OriginalString);
        var second = await service.WaitForRun(eventId, Published, "Completed", number: 2);
        await service.WaitForRun(eventId, OperationsService.AnyContent, "Completed", number: 2);
        Assert.Equal(RunIds.For(source, eventId, Published, 2), second.CorrelationId);
        Assert.Equal([$"{source}:{eventId}:{Published}:2:1", $"{source}:{eventId}:{Published}:2:2", $"{source}:{eventId}:{Published}:2:3"],
            service.Connectors.Script.For(eventId).Where(command => command.Step.Rule == Published && command.Step.Run == 2)
                .Select(command => command.Step.IdempotencyKey));
        Assert.Equal(3, service.Connectors.Script.For(eventId).Count(command => command.Step.Rule == Published && command.Step.Run == 1));
    }

    [Fact]
    public async Task Replaying_one_rule_starts_only_its_next_run()
    {
        var (_, eventId, recordId) = await CompletedContentEvent();
        using var client = service.Operator();

        var replay = await client.PostJson($"/operations/events/{recordId}/replay?rule={OperationsService.AnyContent}", HttpStatusCode.Accepted);

        Assert.Equal([OperationsService.AnyContent], replay.GetProperty("started").Strings("rule"));
        await service.WaitForRun(eventId, OperationsService.AnyContent, "Completed", number: 2);
        Assert.DoesNotContain(await service.RunsOf(eventId), run => run.Rule == Published && run.Run == 2);
    }

    [Fact]
    public async Task Replaying_a_run_still_in_progress_is_refused_with_409_and_starts_nothing()
    {
        var (_, eventId, recordId) = await CompletedContentEvent();
        service.Connectors.Script.On(eventId, 1, ScriptedAnswer.Silent);
        using var client = service.Operator();
        await client.PostJson($"/operations/events/{recordId}/replay?rule={Published}", HttpStatusCode.Accepted);

        // Run 2 is either still on its way or waiting for its first step: either way it is in progress.
        var problem = await client.PostJson($"/operations/events/{recordId}/replay", HttpStatusCode.Conflict);

        Assert.Matches($"{Published}: run 2 (is running|was started by a replay)", problem.GetProperty("detail").GetString());
        await service.WaitForRun(eventId, Published, "Running", number: 2);
        Assert.DoesNotContain(await service.RunsOf(eventId), run => run.Rule == OperationsService.AnyContent && run.Run == 2);
        Assert.DoesNotContain(await service.RunsOf(eventId), run => run.Run == 3);
    }

    [Theory]
    [InlineData("?rule=no-such-rule", HttpStatusCode.BadRequest)]
    [InlineData("?rule=task-failed", HttpStatusCode.NotFound)]
    [InlineData("?rules=content-any", HttpStatusCode.BadRequest)]
    public async Task A_replay_of_a_rule_the_event_never_ran_is_refused(string query, HttpStatusCode expected)
    {
        var (_, _, recordId) = await CompletedContentEvent();
        using var client = service.Operator();

        var problem = await client.PostJson($"/operations/events/{recordId}/replay{query}", expected);

        Assert.NotEqual(JsonValueKind.Undefined, problem.GetProperty(expected == HttpStatusCode.BadRequest ? "errors" : "detail").ValueKind);
    }

    [Fact]
    public async Task Replaying_an_unknown_event_is_answered_404()
    {
        using var client = service.Operator();

        await client.PostJson($"/operations/events/{Guid.NewGuid()}/replay", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_replay_by_filter_replays_the_runs_in_that_state_and_the_audit_says_who_asked_for_what()
    {
        var source = OperationsEvents.NewSource();
        var (failing, fine) = (OperationsEvents.NewEventId(), OperationsEvents.NewEventId());
        service.Connectors.Script.On(failing, 2, ScriptedAnswer.Fail, times: 1);
        var failingEvent = OperationsEvents.Content(source, failing);
        await service.Publish(failingEvent);
        await service.Publish(OperationsEvents.Content(source, fine));
        await service.WaitForRun(failing, Published, "Compensated");
        await service.WaitForRun(failing, OperationsService.AnyContent, "Completed");
        await service.WaitForRun(fine, Published, "Completed");
        await service.WaitForRun(fine, OperationsService.AnyContent, "Completed");
        using var grace = service.Operator(OperationsService.GraceKey);

        var replay = await grace.PostJson($"/operations/events/replay?source={source}&status=compensated", HttpStatusCode.Accepted);

        var started = Assert.Single(replay.GetProperty("started").EnumerateArray());
        Assert.Equal((failingEvent.Metadata.Id, Published, 2),
            (started.GetProperty("eventRecordId").GetGuid(), started.GetProperty("rule").GetString(), started.GetProperty("run").GetInt32()));
        Assert.Empty(replay.GetProperty("skipped").EnumerateArray());
        await service.WaitForRun(failing, Published, "Completed", number: 2);
        Assert.Equal(2, (await service.RunsOf(fine)).Count);

        var audit = await grace.GetJson($"/operations/audit/{replay.GetProperty("id").GetGuid()}");
        Assert.Equal((OperationsService.Grace, "replay"), (audit.GetProperty("operator").GetString(), audit.GetProperty("kind").GetString()));
        Assert.Equal(source, audit.GetProperty("request").GetProperty("source")[0].GetString());
        Assert.Equal("compensated", audit.GetProperty("request").GetProperty("status")[0].GetString());
        Assert.Equal(started.GetProperty("runId").GetGuid(), audit.GetProperty("result").GetProperty("started")[0].GetProperty("runId").GetGuid());
        var graces = await grace.GetJson($"/operations/audit?operator={OperationsService.Grace}&kind=replay");
        Assert.Equal(replay.GetProperty("id").GetGuid(), graces.GetProperty("items")[0].GetProperty("id").GetGuid());

        // Run 2 completed, so the filter no longer finds anything to replay.
        var again = await grace.PostJson($"/operations/events/replay?source={source}&status=compensated", HttpStatusCode.Accepted);
        Assert.Empty(again.GetProperty("started").EnumerateArray());
    }

    [Fact]
    public async Task A_replay_by_filter_skips_the_runs_in_progress_and_says_why()
    {
        var source = OperationsEvents.NewSource();
        var (_, busy, busyRecord) = await CompletedContentEvent(source);
        var (_, idle, _) = await CompletedContentEvent(source);
        service.Connectors.Script.On(busy, 1, ScriptedAnswer.Silent);
        using var client = service.Operator();
        await client.PostJson($"/operations/events/{busyRecord}/replay?rule={Published}", HttpStatusCode.Accepted);

        var replay = await client.PostJson($"/operations/events/replay?source={source}&rule={Published}", HttpStatusCode.Accepted);

        Assert.Equal([idle], replay.GetProperty("started").Strings("eventId"));
        var skipped = Assert.Single(replay.GetProperty("skipped").EnumerateArray());
        Assert.Equal((busy, Published), (skipped.GetProperty("eventId").GetString(), skipped.GetProperty("rule").GetString()));
        Assert.Matches("run 2 (is running|was started by a replay)", skipped.GetProperty("reason").GetString());
        await service.WaitForRun(idle, Published, "Completed", number: 2);
    }

    [Theory]
    [InlineData("", "status")]
    [InlineData("?rule=content-published", "status")]
    [InlineData("?status=finished", "status")]
    [InlineData("?source=x&limit=1001", "limit")]
    [InlineData("?source=x&rule=nope", "rule")]
    public async Task A_replay_by_a_bad_or_empty_filter_is_answered_400_naming_it(string query, string parameter)
    {
        using var client = service.Operator();

        var problem = await client.PostJson($"/operations/events/replay{query}", HttpStatusCode.BadRequest);

        Assert.Equal([parameter], problem.ErrorNames());
    }

    private async Task<(string Source, string EventId, Guid RecordId)> CompletedContentEvent(string? source = null)
    {
        source ??= OperationsEvents.NewSource();
        var eventId = OperationsEvents.NewEventId();
        var content = OperationsEvents.Content(source, eventId);
        await service.Publish(content);
        await service.WaitForRun(eventId, Published, "Completed");
        await service.WaitForRun(eventId, OperationsService.AnyContent, "Completed");
        return (source, eventId, content.Metadata.Id);
    }
}
