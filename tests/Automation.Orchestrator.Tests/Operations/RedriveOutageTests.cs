using System.Net;
using System.Text;
using Automation.Orchestrator.Operations.DeadLetters;
using Automation.Testing;
using RabbitMQ.Client;

namespace Automation.Orchestrator.Tests.Operations;

/// <summary>The service reaches RabbitMQ through a proxy this class can cut.</summary>
public sealed class ProxiedBrokerService : OperationsService, IAsyncDisposable
{
    public TcpProxy Proxy { get; private set; } = null!;

    protected override Dictionary<string, string> ExtraSettings()
    {
        var settings = base.ExtraSettings();
        Proxy = new TcpProxy(VirtualHost.Uri.Host, VirtualHost.Uri.Port);
        settings["RabbitMq:Uri"] = new UriBuilder(VirtualHost.Uri) { Port = Proxy.Port }.Uri.ToString();
        return settings;
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        Proxy.Restore();
        await DisposeAsync();
        await Proxy.DisposeAsync();
    }
}

/// <summary>A redrive whose broker connection is cut half-way loses no message: each message is in its queue or still in
/// the error queue (those in flight, a batch at most, in both), never in neither.</summary>
public sealed class RedriveOutageTests(ProxiedBrokerService service) : IClassFixture<ProxiedBrokerService>
{
    private const string Original = "operations-outage-test";
    private const string ErrorQueue = Original + "_error";
    private const int Count = 3000;

    [Fact]
    public async Task A_redrive_cut_off_half_way_leaves_every_message_in_one_queue_or_the_other()
    {
        var ids = await FillErrorQueue();
        using var client = service.Operator();

        var redrive = client.PostAsync(new Uri($"/operations/dead-letters/{ErrorQueue}/redrive", UriKind.Relative), null,
            TestContext.Current.CancellationToken);
        // Polled without backing off, so the cut comes early in the redrive (it moves about 1,700 messages a second).
        var deadline = DateTime.UtcNow + Eventually.DefaultTimeout;
        while (await service.VirtualHost.MessageCount(Original) < 300)
        {
            Assert.True(DateTime.UtcNow < deadline, "the redrive moved 300 messages in time");
        }

        service.Proxy.Cut();
        using var response = await redrive;
        service.Proxy.Restore();

        var problem = await OperatorApi.Read(response, HttpStatusCode.ServiceUnavailable);
        Assert.Contains("stopped half-way", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var moved = await Drain(Original);
        var left = await Drain(ErrorQueue);
        Assert.NotEmpty(left);
        Assert.Equal(ids, moved.Concat(left).Distinct().Order(StringComparer.Ordinal));
        // Acknowledged only once confirmed: the messages in flight when the cut came may be in both queues, no more.
        Assert.InRange(moved.Count + left.Count, Count, Count + ErrorQueues.RedriveBatch);
        Assert.DoesNotContain(moved, id => id is null);
    }

    private async Task<List<string>> FillErrorQueue()
    {
        await using var connection = await new ConnectionFactory { Uri = service.VirtualHost.Uri }.CreateConnectionAsync(TestContext.Current.CancellationToken);
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true), TestContext.Current.CancellationToken);
        foreach (var queue in new[] { Original, ErrorQueue })
        {
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: TestContext.Current.CancellationToken);
        }

        var ids = Enumerable.Range(0, Count).Select(index => $"msg-{index:D5}").ToList();
        foreach (var batch in ids.Chunk(500))
        {
            await Task.WhenAll(batch.Select(id => channel.BasicPublishAsync("", ErrorQueue, mandatory: true,
                new BasicProperties { MessageId = id, Persistent = true, Headers = new Dictionary<string, object?> { ["MT-Fault-Message"] = "boom" } },
                Encoding.UTF8.GetBytes($"{{\"messageId\":\"{id}\"}}"), TestContext.Current.CancellationToken).AsTask()));
        }

        return ids;
    }

    /// <summary>Takes every message out of the queue: their message ids.</summary>
    private async Task<List<string?>> Drain(string queue)
    {
        await using var connection = await new ConnectionFactory { Uri = service.VirtualHost.Uri }.CreateConnectionAsync(TestContext.Current.CancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: TestContext.Current.CancellationToken);
        var ids = new List<string?>();
        while (await channel.BasicGetAsync(queue, autoAck: true, TestContext.Current.CancellationToken) is { } message)
        {
            Assert.True(queue == ErrorQueue || message.BasicProperties.Headers?.ContainsKey("MT-Fault-Message") != true,
                "a redriven message keeps no fault header");
            ids.Add(message.BasicProperties.MessageId);
        }

        return ids;
    }
}
