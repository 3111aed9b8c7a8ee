using System.Net.Http.Headers;
using System.Text;

namespace Automation.Testing;

/// <summary>A RabbitMQ virtual host of its own for one test class (use it as a class fixture), so its exchanges and
/// queues never meet another class's; deleted when the class is done.</summary>
public sealed class RabbitMqVirtualHost : IAsyncLifetime
{
    public const string NamePrefix = "test-";

    public string Name { get; } = NamePrefix + Guid.NewGuid().ToString("N")[..16];

    /// <summary>The broker address with this virtual host, e.g. for the <c>RabbitMq:Uri</c> setting.</summary>
    public Uri Uri { get; private set; } = null!;

    /// <summary>The broker's management HTTP API (the same user as <see cref="Uri"/>).</summary>
    public Uri ManagementUri { get; private set; } = null!;

    private HttpClient? _management;

    public async ValueTask InitializeAsync()
    {
        var servers = await TestInfrastructure.GetServersAsync();
        _management = CreateManagementClient(servers);
        await PutAsync($"api/vhosts/{Name}", "{}");
        await PutAsync($"api/permissions/{Name}/{servers.RabbitMqUri.UserInfo.Split(':')[0]}",
            """{"configure":".*","write":".*","read":".*"}""");
        Uri = new UriBuilder(servers.RabbitMqUri) { Path = "/" + Name }.Uri;
        ManagementUri = servers.RabbitMqManagementUri;
    }

    public async ValueTask DisposeAsync()
    {
        if (_management is null)
        {
            return;
        }

        using var response = await _management.DeleteAsync(new Uri($"api/vhosts/{Name}", UriKind.Relative));
        _management.Dispose();
    }

    /// <summary>One of the broker's counters of this virtual host's messages (the management API's <c>message_stats</c>, e.g.
    /// <c>return_unroutable</c>), 0 before it counted any. The broker refreshes them every few seconds.</summary>
    public async Task<long> MessageStatistic(string name)
    {
        using var response = await _management!.GetAsync(new Uri($"api/vhosts/{Name}", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        using var document = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.TryGetProperty("message_stats", out var statistics) && statistics.TryGetProperty(name, out var value)
            ? value.GetInt64()
            : 0;
    }

    /// <summary>The queues of this virtual host as the broker's management API lists them.</summary>
    public async Task<IReadOnlyList<BrokerQueue>> Queues()
    {
        using var response = await _management!.GetAsync(new Uri($"api/queues/{Name}", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        using var document = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. document.RootElement.EnumerateArray().Select(queue => new BrokerQueue(
            queue.GetProperty("name").GetString()!,
            queue.GetProperty("type").GetString()!,
            queue.GetProperty("arguments").TryGetProperty("x-queue-type", out var declared) ? declared.GetString() : null))];
    }

    private async Task PutAsync(string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await _management!.PutAsync(new Uri(path, UriKind.Relative), content);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(
                $"RabbitMQ management refused PUT {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static HttpClient CreateManagementClient(Servers servers)
    {
        var client = new HttpClient { BaseAddress = servers.RabbitMqManagementUri };
        var user = Uri.UnescapeDataString(servers.RabbitMqUri.UserInfo);
        client.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user)));
        return client;
    }
}

/// <summary>A queue as the broker runs it: its <paramref name="Type"/> (<c>classic</c>, <c>quorum</c>, <c>stream</c>) and the
/// <c>x-queue-type</c> argument it was declared with, if any.</summary>
public sealed record BrokerQueue(string Name, string Type, string? DeclaredType);
