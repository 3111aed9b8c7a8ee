using System.Collections.Concurrent;
using Automation.Contracts;

namespace Automation.Orchestrator.Tests.Connectors;

/// <summary>What the stand-in connectors do with each command, by (event id, step, compensation or not): succeed (the
/// default), fail for good, or never answer; and every command they received, in order.</summary>
public sealed class ConnectorScript
{
    private readonly ConcurrentDictionary<(string EventId, int Step, bool Compensation), ConcurrentQueue<ScriptedAnswer>> _answers = new();
    private readonly ConcurrentQueue<IStepCommand> _received = new();
    private readonly ConcurrentQueue<(IStepCommand Command, Guid? MessageId)> _deliveries = new();
    private readonly ConcurrentQueue<(IStepCommand Command, bool Sampled)> _traced = new();

    public IReadOnlyList<IStepCommand> Received => [.. _received];

    /// <summary>The commands received for one event, in order.</summary>
    public IReadOnlyList<IStepCommand> For(string eventId) => [.. _received.Where(command => command.Step.EventId == eventId)];

    /// <summary>The commands of one event with the message id each arrived under, in order.</summary>
    public IReadOnlyList<(IStepCommand Command, Guid? MessageId)> DeliveriesFor(string eventId) =>
        [.. _deliveries.Where(delivery => delivery.Command.Step.EventId == eventId)];

    /// <summary>The commands of one event, each with whether it arrived in a sampled trace (its consume span exported).</summary>
    public IReadOnlyList<(IStepCommand Command, bool Sampled)> TracedFor(string eventId) =>
        [.. _traced.Where(delivery => delivery.Command.Step.EventId == eventId)];

    /// <summary>The next <paramref name="times"/> commands for the step (or its compensation) get <paramref name="answer"/>.</summary>
    public ConnectorScript On(string eventId, int step, ScriptedAnswer answer, bool compensation = false, int times = int.MaxValue)
    {
        var queue = _answers.GetOrAdd((eventId, step, compensation), _ => new ConcurrentQueue<ScriptedAnswer>());
        for (var i = 0; i < Math.Min(times, 100); i++)
        {
            queue.Enqueue(answer);
        }

        return this;
    }

    internal ScriptedAnswer Answer(IStepCommand command, bool compensation, Guid? messageId, bool sampled)
    {
        _received.Enqueue(command);
        _deliveries.Enqueue((command, messageId));
        _traced.Enqueue((command, sampled));
        return _answers.TryGetValue((command.Step.EventId, command.Step.Step, compensation), out var queue) && queue.TryDequeue(out var answer)
            ? answer
            : ScriptedAnswer.Succeed;
    }
}

public enum ScriptedAnswer
{
    Succeed,

    /// <summary>Throws: the command faults (Fault&lt;T&gt; published, message to the error queue), as a connector's
    /// permanent failure or exhausted retries would.</summary>
    Fail,

    /// <summary>Consumes the command and answers nothing, as a hung external call whose answer never comes.</summary>
    Silent,
}
