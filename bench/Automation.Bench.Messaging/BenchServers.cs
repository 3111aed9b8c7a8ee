using System.Net.Http.Headers;
using System.Text;
using Npgsql;

namespace Automation.Bench.Messaging;

/// <summary>The shared local PostgreSQL and RabbitMQ, and this run's own database and virtual host on them (created at
/// start, removed at the end, so a run never meets another run's tables or queues).</summary>
public sealed class BenchServers : IAsyncDisposable
{
    private const string PostgresVariable = "AUTOMATION_POSTGRES";
    private const string RabbitMqVariable = "AUTOMATION_RABBITMQ";
    private const string RabbitMqManagementVariable = "AUTOMATION_RABBITMQ_MANAGEMENT";

    private readonly string _serverConnectionString;
    private readonly HttpClient _management;

    private BenchServers(string serverConnectionString, Uri rabbitMq, HttpClient management, string name)
    {
        _serverConnectionString = serverConnectionString;
        _management = management;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name }.ConnectionString;
        RabbitMqUri = new UriBuilder(rabbitMq) { Path = "/" + name }.Uri;
    }

    /// <summary>The database and the virtual host share this name.</summary>
    public string Name { get; }

    public string ConnectionString { get; }

    public Uri RabbitMqUri { get; }

    public static async Task<BenchServers> CreateAsync()
    {
        var settings = ReadSettings();
        string Setting(string key) => settings.TryGetValue(key, out var value)
            ? value
            : throw new InvalidOperationException($"{key} is not set and no infra.env names it: start the servers with ./automation infra.");

        var serverConnectionString = Setting(PostgresVariable);
        var rabbitMq = new Uri(Setting(RabbitMqVariable));
        var management = new HttpClient { BaseAddress = new Uri(Setting(RabbitMqManagementVariable)) };
        management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(rabbitMq.UserInfo))));
        var name = $"bench_messaging_{DateTime.UtcNow:yyyyMMddHHmmss}_{Guid.NewGuid():N}"[..40];
        var servers = new BenchServers(serverConnectionString, rabbitMq, management, name);

        await using (var connection = new NpgsqlConnection(serverConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        await servers.PutAsync($"api/vhosts/{Uri.EscapeDataString(name)}", "{}");
        await servers.PutAsync($"api/permissions/{Uri.EscapeDataString(name)}/{Uri.EscapeDataString(rabbitMq.UserInfo.Split(':')[0])}",
            """{"configure":".*","write":".*","read":".*"}""");
        return servers;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using (var connection = new NpgsqlConnection(_serverConnectionString))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }

        using (await _management.DeleteAsync(new Uri($"api/vhosts/{Uri.EscapeDataString(Name)}", UriKind.Relative)))
        {
        }

        _management.Dispose();
    }

    private async Task PutAsync(string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await _management.PutAsync(new Uri(path, UriKind.Relative), content);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"RabbitMQ management refused PUT {path}: {(int)response.StatusCode}");
        }
    }

    /// <summary>Process variables first, then the infra.env the infrastructure script writes.</summary>
    private static Dictionary<string, string> ReadSettings()
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        if (FindInfraEnv() is { } file)
        {
            foreach (var line in File.ReadAllLines(file))
            {
                var separator = line.IndexOf('=', StringComparison.Ordinal);
                if (separator > 0)
                {
                    settings[line[..separator].Trim()] = line[(separator + 1)..].Trim().Trim('\'');
                }
            }
        }

        foreach (var key in new[] { PostgresVariable, RabbitMqVariable, RabbitMqManagementVariable })
        {
            if (Environment.GetEnvironmentVariable(key) is { Length: > 0 } value)
            {
                settings[key] = value;
            }
        }

        return settings;
    }

    private static string? FindInfraEnv()
    {
        if (Environment.GetEnvironmentVariable("AUTOMATION_STATE_DIR") is { Length: > 0 } stateDir)
        {
            var path = Path.Combine(stateDir, "infra.env");
            return File.Exists(path) ? path : null;
        }

        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Automation.sln")))
            {
                var path = Path.Combine(dir.FullName, ".local", "infra.env");
                return File.Exists(path) ? path : null;
            }
        }

        return null;
    }
}
