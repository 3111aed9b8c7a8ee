using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace Automation.Testing;

/// <summary>Knows where the test servers are. In order: the variables that <c>./automation test</c> (through
/// <c>eng/infra.sh</c>) sets; the file it writes; containers when a Docker engine answers; otherwise a failure that says
/// which command starts them. Tests never name a connection string themselves.</summary>
public static class TestInfrastructure
{
    public const string PostgresVariable = "AUTOMATION_POSTGRES";
    public const string RabbitMqVariable = "AUTOMATION_RABBITMQ";
    public const string RabbitMqManagementVariable = "AUTOMATION_RABBITMQ_MANAGEMENT";

    private const string HowToStart =
        "Start the test servers with './automation infra' (or run the tests with './automation test'), "
        + "or make a Docker engine available for Testcontainers.";

    private static readonly Lazy<Task<Servers>> ServersOnce = new(LocateAsync);

    public static Task<Servers> GetServersAsync() => ServersOnce.Value;

    private static async Task<Servers> LocateAsync()
    {
        var settings = InfraEnvironment.Read();
        if (settings.TryGetValue(PostgresVariable, out var postgres)
            && settings.TryGetValue(RabbitMqVariable, out var rabbit)
            && settings.TryGetValue(RabbitMqManagementVariable, out var management))
        {
            var servers = new Servers(postgres, new Uri(rabbit), new Uri(management));
            await servers.EnsureReachableAsync(HowToStart);
            return servers;
        }

        if (await DockerEngine.AnswersAsync())
        {
            return await StartContainersAsync();
        }

        throw new InvalidOperationException(
            $"No test servers: {PostgresVariable} and {RabbitMqVariable} are not set and no Docker engine answers. {HowToStart}");
    }

    private static async Task<Servers> StartContainersAsync()
    {
        var postgres = new PostgreSqlBuilder("postgres:15").Build();
        var rabbit = new RabbitMqBuilder("rabbitmq:3.13-management")
            .WithUsername("guest")
            .WithPassword("guest")
            .WithPortBinding(RabbitMqManagementPort, assignRandomHostPort: true)
            .Build();
        await Task.WhenAll(postgres.StartAsync(), rabbit.StartAsync());
        var amqp = new UriBuilder(rabbit.GetConnectionString()) { Path = "/" }.Uri;
        var management = new Uri($"http://{rabbit.Hostname}:{rabbit.GetMappedPublicPort(RabbitMqManagementPort)}/");
        return new Servers(postgres.GetConnectionString(), amqp, management);
    }

    private const int RabbitMqManagementPort = 15672;
}
