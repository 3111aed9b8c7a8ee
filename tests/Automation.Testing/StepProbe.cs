using System.Collections.Concurrent;
using Automation.Contracts;
using MassTransit;

namespace Automation.Testing;

/// <summary>A bus of the test's own on a test's virtual host, in the orchestrator's seat: it sends step commands to their
/// queues (<see cref="StepCommandQueues"/>) and records what the connectors answer — <see cref="StepSucceeded"/>,
/// <see cref="StepCompensated"/> and the <see cref="Fault{T}"/> of every step command.</summary>
public sealed class StepProbe : IAsyncDisposable
{
    private readonly ConcurrentQueue<object> _received = new();
    private IBusControl _bus = null!;

    public static async Task<StepProbe> StartAsync(RabbitMqVirtualHost virtualHost)
    {
        var probe = new StepProbe();
        probe._bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(virtualHost.Uri);
            rabbit.ReceiveEndpoint($"test-step-probe-{Guid.NewGuid():N}", endpoint =>
            {
                probe.Record<StepSucceeded>(endpoint);
                probe.Record<StepCompensated>(endpoint);
                probe.Record<Fault<UpsertCrmContact>>(endpoint);
                probe.Record<Fault<LogCrmActivity>>(endpoint);
                probe.Record<Fault<DeleteCrmNote>>(endpoint);
                probe.Record<Fault<TriggerPipeline>>(endpoint);
                probe.Record<Fault<CancelPipeline>>(endpoint);
                probe.Record<Fault<SendNotification>>(endpoint);
            });
        });
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        await probe._bus.StartAsync(timeout.Token);
        return probe;
    }

    /// <summary>Sends a command to its queue, as the orchestrator does; with <paramref name="messageId"/>, as that message
    /// (send it twice to deliver one message twice).</summary>
    public async Task SendAsync<TCommand>(string queue, TCommand command, Guid? messageId = null)
        where TCommand : class, IStepCommand
    {
        var endpoint = await _bus.GetSendEndpoint(StepCommandQueues.Address(queue));
        await endpoint.Send(command, context => context.MessageId = messageId ?? context.MessageId, TestContext.Current.CancellationToken);
    }

    public IReadOnlyList<T> Received<T>() => _received.OfType<T>().ToArray();

    /// <summary>Waits until a message of type <typeparamref name="T"/> matching <paramref name="match"/> arrived.</summary>
    public async Task<T> WaitFor<T>(Func<T, bool> match, string because, TimeSpan? timeout = null)
    {
        T? found = default;
        await Eventually.Until(() =>
        {
            found = _received.OfType<T>().FirstOrDefault(match);
            return found is not null;
        }, because, timeout);
        return found!;
    }

    public Task<StepSucceeded> Succeeded(StepIdentity step, TimeSpan? timeout = null) =>
        WaitFor<StepSucceeded>(message => message.Step == step, $"step {step.IdempotencyKey} succeeded", timeout);

    public Task<StepCompensated> Compensated(StepIdentity step, TimeSpan? timeout = null) =>
        WaitFor<StepCompensated>(message => message.Step == step, $"step {step.IdempotencyKey} was compensated", timeout);

    public Task<Fault<TCommand>> Faulted<TCommand>(StepIdentity step, TimeSpan? timeout = null)
        where TCommand : class, IStepCommand =>
        WaitFor<Fault<TCommand>>(fault => fault.Message.Step == step, $"{typeof(TCommand).Name} {step.IdempotencyKey} faulted", timeout);

    public async ValueTask DisposeAsync() => await _bus.StopAsync(CancellationToken.None);

    private void Record<T>(IReceiveEndpointConfigurator endpoint)
        where T : class =>
        endpoint.Handler<T>(context =>
        {
            _received.Enqueue(context.Message);
            return Task.CompletedTask;
        });
}
