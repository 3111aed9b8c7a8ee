using System.Net;
using System.Text;
using Automation.Ingress.Envelopes;
using Automation.Ingress.Storage;
using Automation.Ingress.Tests.Infrastructure;
using Automation.Messaging.Postgres;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Automation.Ingress.Tests.Acceptance;

/// <summary>Several requests' events written by one statement (<see cref="EventWriter"/>): each request still gets its
/// own outcome, its own message, and nothing of another's failure.</summary>
public sealed class GroupCommitTests(IngressServiceFixture ingress) : IClassFixture<IngressServiceFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Events_written_together_commit_together_and_a_repeat_in_the_same_statement_is_a_duplicate()
    {
        var (first, second) = (TestWebhooks.NewEventId(), TestWebhooks.NewEventId());

        var outcomes = await WriteTogetherAsync([await EventAsync(first), await EventAsync(first), await EventAsync(second)]);

        var (original, repeat, other) = (await outcomes[0], await outcomes[1], await outcomes[2]);
        Assert.False(original.IsDuplicate);
        Assert.Equal(new StoreOutcome(original.Id, IsDuplicate: true), repeat);
        Assert.False(other.IsDuplicate);
        Assert.Equal(original.Id, Assert.Single(await ingress.StoredAsync(first)).Id);
        Assert.Single(await ingress.StoredAsync(second));
        Assert.Equal(1, await DistinctTransactionsAsync(first, second));
        Assert.Equal(original.Id, (await ingress.Published.WaitForAsync(first)).MessageId);
        Assert.Equal(other.Id, (await ingress.Published.WaitForAsync(second)).MessageId);
        await ingress.AssertNothingPublishedAsync("no-such-event");
        Assert.Single(ingress.Published.For(first));
    }

    [Fact]
    public async Task A_row_postgresql_refuses_fails_alone_and_the_others_in_its_statement_are_stored()
    {
        var (before, after) = (TestWebhooks.NewEventId(), TestWebhooks.NewEventId());
        // Past every check the Ingress makes (they refuse control characters), but PostgreSQL's text cannot hold NUL.
        var refused = TestWebhooks.NewEventId();
        var refusedRow = await EventAsync(refused);
        refusedRow.Row.EventId += "\0";

        var outcomes = await WriteTogetherAsync([await EventAsync(before), refusedRow, await EventAsync(after)]);

        Assert.False((await outcomes[0]).IsDuplicate);
        await Assert.ThrowsAsync<PostgresException>(() => outcomes[1]);
        Assert.False((await outcomes[2]).IsDuplicate);
        Assert.Single(await ingress.StoredAsync(before));
        Assert.Single(await ingress.StoredAsync(after));
        await ingress.Published.WaitForAsync(before);
        await ingress.Published.WaitForAsync(after);
        Assert.Equal(0, await StoredLikeAsync(refused));
    }

    [Fact]
    public async Task An_event_recorded_as_ignored_and_an_accepted_one_share_a_statement_and_only_the_accepted_is_published()
    {
        var (ignored, accepted) = (TestWebhooks.NewEventId(), TestWebhooks.NewEventId());
        var ignoredRow = (await EventAsync(ignored)).Row;
        ignoredRow.Status = ReceivedEventStatus.Ignored;

        var outcomes = await WriteTogetherAsync([(ignoredRow, null), await EventAsync(accepted)]);

        Assert.False((await outcomes[0]).IsDuplicate);
        Assert.False((await outcomes[1]).IsDuplicate);
        Assert.Equal("ignored", Assert.Single(await ingress.StoredAsync(ignored)).Status);
        Assert.Equal("accepted", Assert.Single(await ingress.StoredAsync(accepted)).Status);
        Assert.Equal(1, await DistinctTransactionsAsync(ignored, accepted));
        await ingress.Published.WaitForAsync(accepted);
        await ingress.AssertNothingPublishedAsync(ignored);
    }

    [Fact]
    public async Task Requests_in_flight_together_share_statements_and_each_gets_its_own_answer()
    {
        var eventIds = Enumerable.Range(0, 100).Select(_ => TestWebhooks.NewEventId()).ToArray();
        using var start = new SemaphoreSlim(0);

        var deliveries = eventIds.Select(async eventId =>
        {
            await start.WaitAsync(Cancellation);
            using var response = await ingress.Client.SendAsync(TestWebhooks.Hex("hex", TestWebhooks.Envelope(eventId)), Cancellation);
            return response.StatusCode;
        }).ToList();
        start.Release(eventIds.Length);

        Assert.All(await Task.WhenAll(deliveries), status => Assert.Equal(HttpStatusCode.Accepted, status));
        foreach (var eventId in eventIds)
        {
            Assert.Single(await ingress.StoredAsync(eventId));
            await ingress.Published.WaitForAsync(eventId);
        }

        Assert.InRange(await DistinctTransactionsAsync(eventIds), 1, eventIds.Length - 1);
        await ingress.AssertNothingPublishedAsync("no-such-event");
        Assert.All(eventIds, eventId => Assert.Single(ingress.Published.For(eventId)));
    }

    /// <summary>An event as the Ingress would store it, its message published through the bus outbox of its own scope.</summary>
    private async Task<(ReceivedEvent Row, BusOutboxInsert? Outbox)> EventAsync(string eventId)
    {
        var receivedAt = DateTimeOffset.UtcNow;
        var id = Guid.CreateVersion7(receivedAt);
        var body = Encoding.UTF8.GetBytes(TestWebhooks.Envelope(eventId));
        var envelope = EnvelopeReader.Read(body, "hex", id, receivedAt);
        await using var scope = ingress.Factory.Services.CreateAsyncScope();
        var publish = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
        await publish.Publish(envelope.Event!, envelope.Event!.GetType(), Pipe.Execute<PublishContext>(context => context.MessageId = id),
            Cancellation);
        var outbox = scope.ServiceProvider.GetRequiredService<IBusOutboxRows>().TakeUnsaved()!;
        return (new ReceivedEvent
        {
            Id = id, Source = "hex", EventId = eventId, Type = envelope.Type, Version = envelope.Version, ReceivedAt = receivedAt,
            Body = body, Scheme = "hmac-sha256-hex", Status = ReceivedEventStatus.Accepted,
        }, outbox);
    }

    private Task<Task<StoreOutcome>[]> WriteTogetherAsync(IEnumerable<(ReceivedEvent Row, BusOutboxInsert? Outbox)> events) =>
        ingress.Factory.Services.GetRequiredService<EventWriter>().WriteTogetherAsync(events);

    /// <summary>How many transactions wrote these events' rows (rows a transaction writes carry its id as <c>xmin</c>).</summary>
    private async Task<long> DistinctTransactionsAsync(params string[] eventIds)
    {
        await using var connection = new NpgsqlConnection(ingress.Database.ConnectionString);
        await connection.OpenAsync(Cancellation);
        await using var command = new NpgsqlCommand("SELECT count(DISTINCT xmin::text) FROM ingress.events WHERE event_id = ANY($1)", connection);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = eventIds });
        return (long)(await command.ExecuteScalarAsync(Cancellation))!;
    }

    private async Task<long> StoredLikeAsync(string eventIdPrefix)
    {
        await using var connection = new NpgsqlConnection(ingress.Database.ConnectionString);
        await connection.OpenAsync(Cancellation);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM ingress.events WHERE starts_with(event_id, $1)", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = eventIdPrefix });
        return (long)(await command.ExecuteScalarAsync(Cancellation))!;
    }
}
