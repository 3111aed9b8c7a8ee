using System.Net;
using System.Text.Json;
using Automation.Contracts;
using Automation.Orchestrator.Tests.Connectors;
using Automation.Testing;

namespace Automation.Orchestrator.Tests.Operations;

/// <summary>Commands the stand-in connectors refuse land in their error queues, where the API lists them with why they
/// failed and redrives them to the queue they came from, where they are consumed again under the same message id. The
/// tests share the class's error queues, so each looks for its own event's messages.</summary>
public sealed class DeadLetterTests(OperationsService service) : IClassFixture<OperationsService>
{
    private const string Published = "content-published";

    [Fact]
    public async Task A_faulted_command_is_listed_with_what_failed_why_and_where_and_stays_in_its_queue()
    {
        var eventId = OperationsEvents.NewEventId();
        var queue = StepCommandQueues.LogCrmActivity + "_error";
        service.Connectors.Script.On(eventId, 1, ScriptedAnswer.Fail);
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);
        await service.Publish(OperationsEvents.Content(OperationsEvents.NewSource(), eventId));
        await service.WaitForRun(eventId, Published, "Compensated");
        using var client = service.Operator();

        var page = await WaitForDeadLetters(client, queue, eventId);
        var queues = await client.GetJson("/operations/dead-letters");

        var listed = queues.EnumerateArray().Single(item => item.GetProperty("queue").GetString() == queue);
        Assert.Equal(StepCommandQueues.LogCrmActivity, listed.GetProperty("originalQueue").GetString());
        Assert.True(listed.GetProperty("messages").GetInt32() >= 1, "the queue's count includes the message");
        var message = Assert.Single(MessagesOf(page, eventId));
        Assert.Equal("urn:message:Automation.Contracts:LogCrmActivity", message.GetProperty("messageType").GetString());
        Assert.EndsWith(nameof(ScriptedFailureException), message.GetProperty("exceptionType").GetString(), StringComparison.Ordinal);
        Assert.Contains("refused by the script", message.GetProperty("exceptionMessage").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("/" + StepCommandQueues.LogCrmActivity, message.GetProperty("inputAddress").GetString(), StringComparison.Ordinal);
        Assert.InRange(message.GetProperty("faultedAt").GetDateTimeOffset(), before, DateTimeOffset.UtcNow.AddSeconds(5));
        Assert.Equal(service.Connectors.Script.DeliveriesFor(eventId).Single(delivery => delivery.Command is LogCrmActivity).MessageId,
            message.GetProperty("messageId").GetGuid());
        // Reading them left them where they were.
        Assert.Single(MessagesOf(await client.GetJson($"/operations/dead-letters/{queue}"), eventId));
    }

    [Fact]
    public async Task A_redriven_message_is_consumed_again_under_its_own_message_id()
    {
        var eventId = OperationsEvents.NewEventId();
        var queue = StepCommandQueues.TriggerPipeline + "_error";
        service.Connectors.Script.On(eventId, 2, ScriptedAnswer.Fail, times: 1);
        await service.Publish(OperationsEvents.Content(OperationsEvents.NewSource(), eventId));
        await service.WaitForRun(eventId, Published, "Compensated");
        using var client = service.Operator(OperationsService.GraceKey);
        var messageId = Assert.Single(MessagesOf(await WaitForDeadLetters(client, queue, eventId), eventId)).GetProperty("messageId").GetGuid();

        var redrive = await client.PostJson($"/operations/dead-letters/{queue}/redrive?messageId={messageId}", HttpStatusCode.OK);

        Assert.Equal([messageId.ToString()], redrive.GetProperty("moved").Strings("messageId"));
        Assert.Equal(StepCommandQueues.TriggerPipeline, redrive.GetProperty("originalQueue").GetString());
        await Eventually.Until(() => service.Connectors.Script.For(eventId).Count(command => command is TriggerPipeline) == 2,
            "the redriven command was consumed again");
        Assert.Equal([messageId, messageId], service.Connectors.Script.DeliveriesFor(eventId)
            .Where(delivery => delivery.Command is TriggerPipeline).Select(delivery => delivery.MessageId));
        Assert.Empty(MessagesOf(await client.GetJson($"/operations/dead-letters/{queue}"), eventId));
        // Its success now arrives late: the run records it and undoes the pipeline it started.
        await Eventually.Until(() => service.Connectors.Script.For(eventId).Any(command => command is CancelPipeline),
            "the late success of the redriven step was compensated");
        var audit = await client.GetJson($"/operations/audit/{redrive.GetProperty("id").GetGuid()}");
        Assert.Equal((OperationsService.Grace, "redrive", queue), (audit.GetProperty("operator").GetString(), audit.GetProperty("kind").GetString(),
            audit.GetProperty("request").GetProperty("queue").GetString()));
        Assert.Equal(messageId, audit.GetProperty("result").GetProperty("moved")[0].GetProperty("messageId").GetGuid());
    }

    [Fact]
    public async Task Redriving_a_queue_moves_every_message_back_in_order()
    {
        var queue = StepCommandQueues.SendNotification + "_error";
        var events = Enumerable.Range(0, 3).Select(_ => OperationsEvents.NewEventId()).ToList();
        foreach (var eventId in events)
        {
            service.Connectors.Script.On(eventId, 1, ScriptedAnswer.Fail, times: 1);
            await service.Publish(OperationsEvents.FailedTask(OperationsEvents.NewSource(), eventId));
            await service.WaitForRun(eventId, "task-failed", "Compensated");
        }

        using var client = service.Operator();
        var page = await WaitForDeadLetters(client, queue, [.. events]);
        var mine = events.Select(eventId => Assert.Single(MessagesOf(page, eventId)).GetProperty("messageId").GetString()).ToList();

        var redrive = await client.PostJson($"/operations/dead-letters/{queue}/redrive", HttpStatusCode.OK);

        // Other tests' notifications may share the queue: ours moved, in their order.
        Assert.Equal(mine, redrive.GetProperty("moved").Strings("messageId").Where(mine.Contains));
        await Eventually.Until(() => events.All(eventId => service.Connectors.Script.For(eventId).Count(command => command.Step.Step == 1) == 2),
            "every redriven notification was consumed again");
        var after = await client.GetJson($"/operations/dead-letters/{queue}");
        Assert.All(events, eventId => Assert.Empty(MessagesOf(after, eventId)));
    }

    [Theory]
    [InlineData("GET", "/operations/dead-letters/crm-sync-log-crm-activity", HttpStatusCode.BadRequest)]
    [InlineData("POST", "/operations/dead-letters/orchestrator-runs/redrive", HttpStatusCode.BadRequest)]
    [InlineData("GET", "/operations/dead-letters/crm-sync-log-crm-activity_error?limit=101", HttpStatusCode.BadRequest)]
    [InlineData("GET", "/operations/dead-letters/no-such-queue_error", HttpStatusCode.NotFound)]
    [InlineData("POST", "/operations/dead-letters/no-such-queue_error/redrive", HttpStatusCode.NotFound)]
    public async Task A_queue_that_is_not_an_error_queue_or_does_not_exist_is_refused(string method, string path, HttpStatusCode expected)
    {
        using var client = service.Operator();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative)),
            TestContext.Current.CancellationToken);

        await OperatorApi.Read(response, expected);
    }

    [Fact]
    public async Task Redriving_a_message_the_queue_does_not_hold_moves_nothing_and_is_answered_404()
    {
        var eventId = OperationsEvents.NewEventId();
        var queue = StepCommandQueues.DeleteCrmNote + "_error";
        service.Connectors.Script.On(eventId, 2, ScriptedAnswer.Fail).On(eventId, 1, ScriptedAnswer.Fail, compensation: true);
        await service.Publish(OperationsEvents.Content(OperationsEvents.NewSource(), eventId));
        await service.WaitForRun(eventId, Published, "Failed");
        using var client = service.Operator();

        await WaitForDeadLetters(client, queue, eventId);

        var problem = await client.PostJson($"/operations/dead-letters/{queue}/redrive?messageId={Guid.NewGuid()}", HttpStatusCode.NotFound);

        Assert.Contains("No message with id", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Single(MessagesOf(await client.GetJson($"/operations/dead-letters/{queue}"), eventId));
    }

    /// <summary>The queue's first page once it holds a message of each event (the broker moves a faulted message to its
    /// error queue as the fault is published, so the run may have moved on a moment before).</summary>
    private static async Task<JsonElement> WaitForDeadLetters(HttpClient client, string queue, params string[] eventIds)
    {
        JsonElement page = default;
        await Eventually.Until(async () =>
        {
            page = await client.GetJson($"/operations/dead-letters/{queue}");
            return eventIds.All(eventId => MessagesOf(page, eventId).Count > 0);
        }, $"{queue} holds the messages of {string.Join(", ", eventIds)}");
        return page;
    }

    private static List<JsonElement> MessagesOf(JsonElement page, string eventId) =>
    [
        .. page.GetProperty("items").EnumerateArray()
            .Where(item => item.GetProperty("message").GetProperty("step").GetProperty("eventId").GetString() == eventId),
    ];
}
