using System.Data.Common;
using Automation.Messaging.Postgres.Tests.Hosting;
using Automation.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Automation.Messaging.Postgres.Tests.Scheduling;

/// <summary>The scheduler of a replica whose broker is cut (by a proxy in front of the shared broker) while it holds due
/// messages, next to a replica whose broker answers.</summary>
public sealed class SchedulerBrokerOutageTests(PostgresDatabase database, RabbitMqVirtualHost virtualHost)
    : IClassFixture<PostgresDatabase>, IClassFixture<RabbitMqVirtualHost>
{
    [Fact]
    public async Task A_replica_that_cannot_send_releases_its_due_messages_and_the_other_replica_delivers_them_without_spinning()
    {
        var arrivals = new Arrivals();
        await using var brokerProxy = new TcpProxy(virtualHost.Uri.Host, virtualHost.Uri.Port);
        await using var cutOff = await SchedulerService.StartAsync(database, virtualHost, arrivals,
            configureScheduler: scheduler =>
            {
                scheduler.SendTimeout = TimeSpan.FromSeconds(4);
                scheduler.RetryDelay = TimeSpan.FromSeconds(10);
            },
            rabbitMqUri: new UriBuilder(virtualHost.Uri) { Port = brokerProxy.Port }.Uri);
        var dueAt = DateTime.UtcNow.AddSeconds(2);
        var reminderIds = Enumerable.Range(0, 20).Select(_ => Guid.NewGuid()).ToList();
        foreach (var reminderId in reminderIds)
        {
            await cutOff.ScheduleReminder(reminderId, dueAt);
        }

        await Eventually.Until(async () => await StoredAsync() == reminderIds.Count, "every reminder was stored");
        brokerProxy.Cut();
        await Eventually.Until(async () => DateTime.UtcNow > dueAt && await DueAndFreeAsync() == 0,
            "the cut-off replica locked the due reminders to send them");

        var commands = new CommandCounter();
        await using var other = await SchedulerService.StartAsync(database, virtualHost, arrivals,
            configureServices: services => services.ConfigureDbContext<TestServiceDbContext>((_, options) => options.AddInterceptors(commands)),
            configureScheduler: scheduler => scheduler.PollInterval = TimeSpan.FromMilliseconds(500));
        var started = commands.Count;

        await Eventually.Until(() => reminderIds.Any(arrivals.Arrived), "the other replica delivered the first reminder");
        // While the cut-off replica held the reminders, the other one waited for its poll instead of asking again and again.
        Assert.True(commands.Count - started < 40, $"{commands.Count - started} statements while the reminders were held");
        await Eventually.Until(() => reminderIds.All(arrivals.Arrived), "the other replica delivered every reminder");

        brokerProxy.Restore();
        await other.WaitForSentinelDueAfter(DateTime.UtcNow);
        Assert.All(reminderIds, reminderId => Assert.Single(arrivals.Of(reminderId)));
    }

    private Task<long> StoredAsync() => CountAsync("SELECT count(*) FROM test_service.scheduled_message WHERE delivered_at IS NULL");

    /// <summary>Due, pending reminders no transaction holds.</summary>
    private Task<long> DueAndFreeAsync() => CountAsync("""
        SELECT count(*) FROM (SELECT token_id FROM test_service.scheduled_message
                              WHERE delivered_at IS NULL AND cancelled_at IS NULL AND due_at <= now()
                              FOR UPDATE SKIP LOCKED) free
        """);

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    /// <summary>Counts the statements a replica's DbContext sends.</summary>
    private sealed class CommandCounter : DbCommandInterceptor
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _count);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _count);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _count);
            return ValueTask.FromResult(result);
        }
    }
}
