using System.Collections.Concurrent;
using MassTransit;

namespace Automation.EndToEnd.Tests;

/// <summary>Records every message a service's bus consumed, so a test can wait until a service received something.</summary>
public sealed class ConsumedMessages : IConsumeObserver
{
    private readonly ConcurrentQueue<object> _messages = new();

    public IEnumerable<T> OfType<T>() => _messages.OfType<T>();

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class
    {
        _messages.Enqueue(context.Message);
        return Task.CompletedTask;
    }

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}
