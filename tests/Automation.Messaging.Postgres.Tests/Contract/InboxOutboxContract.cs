using Automation.Messaging.Postgres.Tests.Infrastructure;
using Automation.Messaging.Postgres.Tests.Messages;
using Automation.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Automation.Messaging.Postgres.Tests.Contract;

/// <summary>What the PostgreSQL inbox/outbox promises, stated once; each derived class runs it with one configuration of
/// the application's DbContext. Every test uses its own queues and ids; the class shares one database and one vhost.</summary>
public abstract partial class InboxOutboxContract(PostgresDatabase database, RabbitMqVirtualHost vhost) : IAsyncLifetime
{
    private static readonly TimeSpan LongWait = TimeSpan.FromSeconds(90);

    private readonly List<IAsyncDisposable> _resources = [];

    /// <summary>True to run the application's DbContext with Npgsql's retrying execution strategy.</summary>
    protected abstract bool RetryOnFailure { get; }

    /// <summary>True to register the application's DbContext as the services do (pooled, their connection settings).</summary>
    protected virtual bool AsTheServices => false;

    /// <summary>The outbox settings of a host that runs the consumer behind the inbox, unless a test sets its own; null for
    /// the default (with the bus outbox, whose delivery service sends the consumer's messages).</summary>
    protected virtual Action<PostgresOutboxConfigurator>? ConsumerHostOutbox => null;

    protected static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    protected string ConnectionString => database.ConnectionString;

    protected Uri RabbitMqUri => vhost.Uri;

    private static readonly Action<PostgresOutboxConfigurator> ReceiveOnly = outbox => outbox.DisableInboxCleanupService();

    protected static string NewQueueName(string role) => $"{role}-{Guid.NewGuid():N}";

    protected async Task<ComplianceHost> StartHostAsync(string? receiverQueue = null, string? inboxQueue = null,
        Action<PostgresOutboxConfigurator>? outbox = null, string? connectionString = null, Uri? rabbitMqUri = null,
        Action<IReceiveEndpointConfigurator>? configureInbox = null, int inboxConcurrency = 16)
    {
        var settings = new ComplianceHostSettings
        {
            ConnectionString = connectionString ?? ConnectionString,
            RabbitMqUri = rabbitMqUri ?? RabbitMqUri,
            RetryOnFailure = RetryOnFailure,
            AsTheServices = AsTheServices,
            ReceiverQueue = receiverQueue,
            InboxQueue = inboxQueue,
            InboxConcurrency = inboxConcurrency,
            ConfigureInboxEndpoint = configureInbox,
        };
        // A host that only receives must not deliver the class's shared outbox table: that is the other hosts' job.
        outbox ??= inboxQueue is not null ? ConsumerHostOutbox : receiverQueue is not null ? ReceiveOnly : null;
        var host = await ComplianceHost.StartAsync(outbox is null ? settings : WithOutbox(settings, outbox));
        return Track(host);
    }

    private static ComplianceHostSettings WithOutbox(ComplianceHostSettings settings, Action<PostgresOutboxConfigurator> outbox) => new()
    {
        ConnectionString = settings.ConnectionString,
        RabbitMqUri = settings.RabbitMqUri,
        RetryOnFailure = settings.RetryOnFailure,
        AsTheServices = settings.AsTheServices,
        ReceiverQueue = settings.ReceiverQueue,
        InboxQueue = settings.InboxQueue,
        InboxConcurrency = settings.InboxConcurrency,
        ConfigureInboxEndpoint = settings.ConfigureInboxEndpoint,
        Outbox = outbox,
    };

    protected T Track<T>(T resource)
        where T : IAsyncDisposable
    {
        _resources.Add(resource);
        return resource;
    }

    /// <summary>Publishes a marker straight to the broker and waits until the FIFO receiver consumed it: everything that
    /// reached the broker before has been counted by then.</summary>
    protected static async Task DrainAsync(ComplianceHost publisher, ComplianceHost receiver)
    {
        var marker = new Marker(Guid.NewGuid());
        await publisher.Bus.Publish(marker, Cancellation);
        await Eventually.Until(() => receiver.Received.Saw(marker), "the receiver consumed the marker published after the messages", LongWait);
    }

    protected async Task<long> CountAsync(string table, string where = "true")
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(Cancellation);
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {TestDbContext.Schema}.{table} WHERE {where}", connection);
        return (long)(await command.ExecuteScalarAsync(Cancellation))!;
    }

    protected async Task ExecuteAsync(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(Cancellation);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await command.ExecuteNonQueryAsync(Cancellation);
    }

    protected static Task<bool> OutboxIsEmptyAsync(ComplianceHost host) =>
        host.Services.GetRequiredService<IOutboxBacklogMonitor>().GetAsync(Cancellation).ContinueWith(
            backlog => backlog.Result.MessageCount == 0, TaskScheduler.Default);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        for (var index = _resources.Count - 1; index >= 0; index--)
        {
            await _resources[index].DisposeAsync();
        }
    }
}
