using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;

namespace Automation.Messaging.Postgres.Tests.Scheduling;

public sealed record Reminder(Guid ReminderId);

/// <summary>One delivery of a reminder, as its consumer saw it.</summary>
public sealed record Arrival(Guid ReminderId, DateTime ArrivedAt, Guid? MessageId, string? Note, ActivityTraceId? TraceId);

/// <summary>Every reminder delivered in a test, shared by all the replicas of a test service.</summary>
public sealed class Arrivals
{
    private readonly ConcurrentQueue<Arrival> _arrivals = new();

    public IReadOnlyList<Arrival> Of(Guid reminderId) => _arrivals.Where(arrival => arrival.ReminderId == reminderId).ToList();

    public bool Arrived(Guid reminderId) => _arrivals.Any(arrival => arrival.ReminderId == reminderId);

    public void Add(Arrival arrival) => _arrivals.Enqueue(arrival);
}

public sealed class ReminderConsumer(Arrivals arrivals) : IConsumer<Reminder>
{
    public const string Queue = "reminder";

    public static readonly Uri Address = new($"queue:{Queue}");

    public Task Consume(ConsumeContext<Reminder> context)
    {
        arrivals.Add(new Arrival(context.Message.ReminderId, DateTime.UtcNow, context.MessageId,
            context.Headers.Get<string>(NoteHeader), Activity.Current?.TraceId));
        return Task.CompletedTask;
    }

    public const string NoteHeader = "X-Note";
}
