using System.Net;
using Automation.Contracts;
using Automation.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using CiTriggerService = Automation.CiTrigger.Events.WebhookEventConsumer;
using CrmSyncService = Automation.CrmSync.Events.WebhookEventConsumer;
using IngressService = Automation.Ingress.Sources.IngressOptions;
using NotifierService = Automation.Notifier.Events.WebhookEventConsumer;

namespace Automation.EndToEnd.Tests;

/// <summary>A signed webhook posted to the Ingress reaches CrmSync, CiTrigger and Notifier over a real RabbitMQ; the
/// consumer services migrate their schemas in one shared PostgreSQL database at start and consume behind their inboxes.</summary>
public sealed class WalkingSkeletonTests(RabbitMqVirtualHost vhost, PostgresDatabase database)
    : IClassFixture<RabbitMqVirtualHost>, IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private const string Secret = "walking-skeleton-secret";

    private readonly List<IAsyncDisposable> _services = [];

    private Dictionary<string, string> Settings => new()
    {
        ["RabbitMq:Uri"] = vhost.Uri.ToString(),
        ["ConnectionStrings:Automation"] = database.ConnectionString,
        ["Ingress:Sources:skeleton:Scheme"] = "hmac-sha256-hex",
        ["Ingress:Sources:skeleton:Secrets:0"] = Secret,
        ["Ingress:Sources:skeleton:Events:0"] = "survey.completed",
    };

    [Fact]
    public async Task A_signed_webhook_reaches_every_consumer_service()
    {
        var received = await Task.WhenAll(StartAsync<CrmSyncService>(), StartAsync<CiTriggerService>(), StartAsync<NotifierService>());
        using var ingress = Track(new ServiceFactory<IngressService>(Settings)).CreateClient();
        var eventId = $"evt_{Guid.NewGuid():N}";

        using var response = await ingress.SendAsync(SignedWebhook.Create("skeleton", SurveyCompletedBody(eventId), Secret),
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await Eventually.Until(
            () => received.All(service => service.OfType<IWebhookEvent>().Any(e => e.Metadata.EventId == eventId)),
            "CrmSync, CiTrigger and Notifier each consumed the event");
    }

    [Fact]
    public async Task A_webhook_with_a_bad_signature_is_refused_and_publishes_nothing()
    {
        var crmSync = await StartAsync<CrmSyncService>();
        using var ingress = Track(new ServiceFactory<IngressService>(Settings)).CreateClient();
        var eventId = $"evt_{Guid.NewGuid():N}";

        using var forged = await ingress.SendAsync(SignedWebhook.Create("skeleton", SurveyCompletedBody(eventId), "wrong-secret"),
            TestContext.Current.CancellationToken);
        var markerId = $"evt_{Guid.NewGuid():N}";
        using var genuine = await ingress.SendAsync(SignedWebhook.Create("skeleton", SurveyCompletedBody(markerId), Secret),
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, genuine.StatusCode);
        // Once the later genuine event has arrived, the forged one would have too, had it been published.
        await Eventually.Until(() => crmSync.OfType<IWebhookEvent>().Any(e => e.Metadata.EventId == markerId),
            "CrmSync consumed the genuine event");
        Assert.DoesNotContain(crmSync.OfType<IWebhookEvent>(), e => e.Metadata.EventId == eventId);
    }

    /// <summary>Starts a consumer service and waits until its bus is healthy: its queue exists and is bound, so nothing
    /// published from now on can miss it.</summary>
    private async Task<ConsumedMessages> StartAsync<TService>()
        where TService : class
    {
        var factory = Track(new ServiceFactory<TService>(Settings));
        var consumed = new ConsumedMessages();
        var bus = factory.Services.GetRequiredService<IBusControl>();
        bus.ConnectConsumeObserver(consumed);
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        await bus.WaitForHealthStatus(BusHealthStatus.Healthy, timeout.Token);
        return consumed;
    }

    private T Track<T>(T service)
        where T : IAsyncDisposable
    {
        _services.Add(service);
        return service;
    }

    private static string SurveyCompletedBody(string eventId) =>
        """{"id":"EVENT_ID","type":"survey.completed","timestamp":"2026-11-26T10:00:00Z","version":1,"data":{"surveyId":"srv_42","responseId":"rsp_7","respondent":{"email":"ada@example.com"}}}"""
            .Replace("EVENT_ID", eventId, StringComparison.Ordinal);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _services)
        {
            await service.DisposeAsync();
        }
    }
}
