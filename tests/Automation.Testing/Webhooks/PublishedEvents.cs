using System.Collections.Concurrent;
using Automation.Contracts;
using MassTransit;

namespace Automation.Testing;

/// <summary>A bus of the test's own on the class's virtual host, with a queue bound to every <see cref="IWebhookEvent"/>:
/// it sees what the Ingress published, as any consumer service would.</summary>
public sealed class PublishedEvents : IAsyncDisposable
{
    private readonly ConcurrentQueue<PublishedEvent> _events = new();
    private IBusControl? _bus;

    public static async Task<PublishedEvents> StartAsync(Uri virtualHost)
    {
        var published = new PublishedEvents();
        published._bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(virtualHost);
            rabbit.ReceiveEndpoint("test-published-events", endpoint =>
                endpoint.Handler<IWebhookEvent>(context =>
                {
                    published._events.Enqueue(new PublishedEvent(context.MessageId, context.Message, Typed(context)));
                    return Task.CompletedTask;
                }));
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await published._bus.StartAsync(timeout.Token);
        return published;
    }

    public IReadOnlyList<PublishedEvent> For(string eventId) =>
        [.. _events.Where(published => published.Event.Metadata.EventId == eventId)];

    public async Task<PublishedEvent> WaitForAsync(string eventId)
    {
        await Eventually.Until(() => For(eventId).Count > 0, $"event {eventId} was published");
        return For(eventId)[0];
    }

    /// <summary>Publishes <paramref name="published"/> again as the same message (its MessageId), as an outbox that sent it
    /// and crashed before recording so sends it again.</summary>
    public Task RepublishAsync(PublishedEvent published) =>
        _bus!.Publish(published.Typed!, published.Typed!.GetType(), context => context.MessageId = published.MessageId,
            TestContext.Current.CancellationToken);

    private static object? Typed(ConsumeContext context) =>
        context.TryGetMessage<SurveyCompleted>(out var survey) ? survey.Message
        : context.TryGetMessage<ContentStateChanged>(out var content) ? content.Message
        : context.TryGetMessage<ConversationMessageCreated>(out var conversation) ? conversation.Message
        : context.TryGetMessage<TaskExecuted>(out var task) ? task.Message
        : null;

    public async ValueTask DisposeAsync()
    {
        if (_bus is not null)
        {
            await _bus.StopAsync();
        }
    }
}

/// <param name="MessageId">The broker message's id (the Ingress sets it to its event id).</param>
/// <param name="Event">The event as a consumer of <see cref="IWebhookEvent"/> sees it.</param>
/// <param name="Typed">The same message read as its concrete contract.</param>
public sealed record PublishedEvent(Guid? MessageId, IWebhookEvent Event, object? Typed);
