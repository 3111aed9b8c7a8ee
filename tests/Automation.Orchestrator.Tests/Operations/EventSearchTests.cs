using System.Net;
using System.Text.Json;
using Automation.Contracts;
using Automation.Orchestrator.Tests.Connectors;

namespace Automation.Orchestrator.Tests.Operations;

/// <summary>Searching events by source, type, id, time and the state of their runs, page by page, and the 400s of bad
/// filters. Each test has a source of its own, so it sees only its events.</summary>
public sealed class EventSearchTests(OperationsService service) : IClassFixture<OperationsService>
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Events_are_found_by_source_type_id_and_time_newest_first_with_their_runs()
    {
        var source = OperationsEvents.NewSource();
        var (first, second, third) = (OperationsEvents.NewEventId(), OperationsEvents.NewEventId(), OperationsEvents.NewEventId());
        await service.Publish(OperationsEvents.Content(source, first, Start));
        await service.Publish(OperationsEvents.FailedTask(source, second, Start.AddMinutes(1)));
        await service.Publish(OperationsEvents.Content(source, third, Start.AddMinutes(2)));
        await service.WaitForRun(first, "content-published", "Completed");
        await service.WaitForRun(second, "task-failed", "Completed");
        await service.WaitForRun(third, "content-published", "Completed");
        await service.WaitForRun(third, OperationsService.AnyContent, "Completed");
        using var client = service.Operator();

        var all = await client.GetJson($"/operations/events?source={source}");
        var byType = await client.GetJson($"/operations/events?source={source}&type=task.executed");
        var byId = await client.GetJson($"/operations/events?source={source}&eventId={first}");
        var byTime = await client.GetJson($"/operations/events?source={source}&from=2026-11-20T08:01:00Z&to=2026-11-20T08:02:00Z");

        Assert.Equal([third, second, first], EventIds(all));
        Assert.Equal([second], EventIds(byType));
        Assert.Equal([first], EventIds(byId));
        Assert.Equal([second], EventIds(byTime));
        var newest = all.GetProperty("items")[0];
        Assert.Equal((source, WebhookEventTypes.ContentStateChanged), (newest.GetProperty("source").GetString(), newest.GetProperty("type").GetString()));
        Assert.Equal([(OperationsService.AnyContent, 1, "completed"), ("content-published", 1, "completed")], Runs(newest));
        Assert.Equal([("task-failed", 1, "completed")], Runs(all.GetProperty("items")[1]));
        Assert.True(all.GetProperty("nextCursor").ValueKind == JsonValueKind.Null, "one page holds them all");
    }

    [Fact]
    public async Task Events_are_found_by_the_state_of_their_rules_latest_runs()
    {
        var source = OperationsEvents.NewSource();
        var (failing, fine) = (OperationsEvents.NewEventId(), OperationsEvents.NewEventId());
        service.Connectors.Script.On(failing, 2, ScriptedAnswer.Fail);
        await service.Publish(OperationsEvents.Content(source, failing, Start));
        await service.Publish(OperationsEvents.Content(source, fine, Start.AddSeconds(1)));
        await service.WaitForRun(failing, "content-published", "Compensated");
        await service.WaitForRun(failing, OperationsService.AnyContent, "Completed");
        await service.WaitForRun(fine, "content-published", "Completed");
        await service.WaitForRun(fine, OperationsService.AnyContent, "Completed");
        using var client = service.Operator();

        Assert.Equal([failing], EventIds(await client.GetJson($"/operations/events?source={source}&status=compensated")));
        Assert.Equal([fine, failing], EventIds(await client.GetJson($"/operations/events?source={source}&status=completed")));
        Assert.Equal([fine, failing], EventIds(await client.GetJson($"/operations/events?source={source}&status=Compensated&status=completed")));
        Assert.Empty(EventIds(await client.GetJson($"/operations/events?source={source}&status=failed")));
        Assert.Empty(EventIds(await client.GetJson($"/operations/events?source={source}&status=running")));
    }

    [Fact]
    public async Task Pages_follow_each_other_newest_first_without_repeats_or_gaps()
    {
        var source = OperationsEvents.NewSource();
        var ids = Enumerable.Range(0, 5).Select(_ => OperationsEvents.NewEventId()).ToList();
        for (var i = 0; i < ids.Count; i++)
        {
            // Two events at the same instant: the id breaks the tie, the same way on every page.
            await service.Publish(OperationsEvents.Content(source, ids[i], Start.AddSeconds(i == 4 ? 3 : i)));
        }

        await Task.WhenAll(ids.Select(id => service.WaitForRun(id, OperationsService.AnyContent, "Completed")));
        using var client = service.Operator();
        var all = EventIds(await client.GetJson($"/operations/events?source={source}"));

        var pages = new List<IReadOnlyList<string>>();
        string? cursor = null;
        do
        {
            var page = await client.GetJson($"/operations/events?source={source}&limit=2" + (cursor is null ? "" : $"&cursor={cursor}"));
            pages.Add(EventIds(page));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(5, all.Count);
        Assert.Equal([2, 2, 1], pages.Select(page => page.Count));
        Assert.Equal(all, pages.SelectMany(page => page));
        Assert.Equal(ids[0], all[^1]);
    }

    [Theory]
    [InlineData("status=done", "status")]
    [InlineData("status=failed&status=maybe", "status")]
    [InlineData("type=content.published", "type")]
    [InlineData("from=yesterday", "from")]
    [InlineData("from=2026-11-20T08:00:00", "from")]
    [InlineData("from=2026-11-21T00:00:00Z&to=2026-11-20T00:00:00Z", "to")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("source=", "source")]
    [InlineData("source=a&source=b", "source")]
    [InlineData("staus=failed", "staus")]
    public async Task A_bad_filter_is_answered_400_naming_it(string query, string parameter)
    {
        using var client = service.Operator();

        var problem = await client.GetJson($"/operations/events?{query}", HttpStatusCode.BadRequest);

        Assert.Equal([parameter], problem.ErrorNames());
    }

    private static IReadOnlyList<string> EventIds(JsonElement page) => [.. page.GetProperty("items").Strings("eventId")!];

    private static IReadOnlyList<(string?, int, string?)> Runs(JsonElement item) =>
    [
        .. item.GetProperty("runs").EnumerateArray()
            .Select(run => (run.GetProperty("rule").GetString(), run.GetProperty("run").GetInt32(), run.GetProperty("state").GetString())),
    ];
}
