using System.Net.Http.Headers;
using System.Text;
using Automation.Hosting;
using Microsoft.Extensions.Options;

namespace Automation.Orchestrator.Operations.DeadLetters;

/// <summary>The broker's management HTTP API (<c>Operations:RabbitMqManagement</c>), for what AMQP cannot tell: which
/// queues exist in the service's virtual host.</summary>
public sealed class BrokerManagement(HttpClient http, IOptions<RabbitMqOptions> rabbit)
{
    /// <summary>The error queues of every service on this virtual host, by name.</summary>
    public async Task<IReadOnlyList<string>> ErrorQueuesAsync(CancellationToken cancellationToken)
    {
        var vhost = Uri.EscapeDataString(VirtualHostOf(rabbit.Value.Uri!));
        var queues = await http.GetFromJsonAsync<List<QueueInfo>>($"api/queues/{vhost}?columns=name", cancellationToken) ?? [];
        return [.. queues.Select(queue => queue.Name).Where(ErrorQueues.IsErrorQueue).Order(StringComparer.Ordinal)];
    }

    /// <summary>Base address and credentials: the configured ones, else the user of <c>RabbitMq:Uri</c>.</summary>
    public static void Configure(HttpClient client, RabbitMqManagementOptions management, Uri amqp)
    {
        var address = management.Uri!.ToString();
        client.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        client.Timeout = TimeSpan.FromSeconds(10);
        var user = string.IsNullOrEmpty(management.Username)
            ? Uri.UnescapeDataString(amqp.UserInfo)
            : $"{management.Username}:{management.Password}";
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user)));
    }

    /// <summary><c>amqp://host/</c> is the default virtual host <c>/</c>; <c>amqp://host/name</c> is <c>name</c>.</summary>
    public static string VirtualHostOf(Uri amqp) => amqp.AbsolutePath.Length <= 1 ? "/" : Uri.UnescapeDataString(amqp.AbsolutePath[1..]);

    private sealed record QueueInfo(string Name);
}
